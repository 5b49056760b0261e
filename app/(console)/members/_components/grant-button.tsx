"use client";

import { ConfirmAction } from "@/components/ui/confirm-action";
import { Field, inputClasses } from "@/components/ui/field";
import { grantQuotaAction } from "../actions";

export function GrantQuotaButton({ memberId }: { memberId: string }) {
  return (
    <ConfirmAction
      label="Grant invites"
      variant="primary"
      title="Grant invites"
      description="Adds invites to this member's balance, as a ledger row and an audit event."
      confirmLabel="Grant"
      hidden={{ memberId }}
      action={grantQuotaAction}
      successMessage="Invites granted."
      fields={(errors) => (
        <Field label="Invites to add" htmlFor="amount" error={errors.amount} hint="1 to 1000.">
          <input id="amount" name="amount" type="number" min={1} max={1000} step={1} aria-invalid={errors.amount ? true : undefined} className={inputClasses} />
        </Field>
      )}
    />
  );
}
