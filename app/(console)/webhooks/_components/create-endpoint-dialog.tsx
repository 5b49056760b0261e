"use client";

import { webhookEventType } from "@/db/schema";
import { Field, inputClasses } from "@/components/ui/field";
import { SecretFormDialog } from "@/components/ui/secret-form-dialog";
import { createWebhookEndpointAction } from "../actions";
import { eventTypeHelp } from "./webhook-badges";

export function CreateEndpointDialog() {
  return (
    <SecretFormDialog
      label="Add endpoint"
      title="Add a webhook endpoint"
      description="Gatehouse POSTs each event of the types you pick to this URL, signed per Standard Webhooks, and retries failures for a day."
      submitLabel="Add endpoint"
      action={createWebhookEndpointAction}
      successMessage="Webhook endpoint added"
      reveal={(data) => ({
        title: "Signing secret",
        value: data.secret,
        note: `Copy it now: it is shown only once. ${data.url} verifies each request's webhook-signature with it (any Standard Webhooks library).`,
      })}
      fields={(errors) => (
        <>
          <Field label="URL" htmlFor="webhook-url" error={errors.url} hint="https:// in production">
            <input id="webhook-url" name="url" type="url" placeholder="https://app.example.com/hooks/gatehouse" autoComplete="off" aria-invalid={Boolean(errors.url)} className={inputClasses} />
          </Field>
          <Field label="Description" htmlFor="webhook-description" error={errors.description} hint="Optional: who owns it">
            <input id="webhook-description" name="description" autoComplete="off" className={inputClasses} />
          </Field>
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium text-slate-700">Event types</legend>
            {webhookEventType.enumValues.map((event) => (
              <label key={event} className="flex items-start gap-2 text-sm">
                <input type="checkbox" name="events" value={event} className="mt-0.5 size-4 rounded border-slate-300" />
                <span>
                  <span className="font-mono text-slate-900">{event}</span>
                  <span className="block text-xs text-slate-500">{eventTypeHelp[event]}</span>
                </span>
              </label>
            ))}
            {errors.events ? <p className="text-xs text-red-600">{errors.events}</p> : null}
          </fieldset>
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" name="includePhone" className="mt-0.5 size-4 rounded border-slate-300" />
            <span>
              Include the phone number
              <span className="block text-xs text-slate-500">Adds `phone` to events that name a registration. Personal data: only if the receiver needs it.</span>
            </span>
          </label>
        </>
      )}
    />
  );
}
