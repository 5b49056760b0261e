"use client";

import { Field, inputClasses } from "@/components/ui/field";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { formatCount } from "@/components/format";
import { setWebhookEndpointEnabledAction } from "../actions";

export function EndpointToggle({ endpointId, enabled, undelivered }: { endpointId: string; enabled: boolean; undelivered: number }) {
  if (enabled) {
    return (
      <ConfirmAction
        label="Disable"
        confirmVariant="danger"
        title="Disable this endpoint?"
        description="Nothing is sent while it is disabled; its events keep arriving and wait, and are replayed when it is enabled again."
        confirmLabel="Disable endpoint"
        hidden={{ endpointId, enabled: "false" }}
        fields={(errors) => (
          <Field label="Reason" htmlFor="disable-reason" error={errors.reason} hint="Shown on this page while it is disabled">
            <input id="disable-reason" name="reason" autoComplete="off" className={inputClasses} />
          </Field>
        )}
        action={setWebhookEndpointEnabledAction}
        successMessage="Endpoint disabled"
      />
    );
  }
  return (
    <ConfirmAction
      label="Enable"
      variant="primary"
      title="Enable this endpoint?"
      description={`Its ${undelivered > 10_000 ? "10,000+" : formatCount(undelivered)} undelivered events are sent now, oldest first, with a fresh retry schedule.`}
      confirmLabel="Enable and replay"
      hidden={{ endpointId, enabled: "true" }}
      action={setWebhookEndpointEnabledAction}
      successMessage="Endpoint enabled; its events are being replayed"
    />
  );
}
