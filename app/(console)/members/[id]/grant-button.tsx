"use client";

import { Gift } from "lucide-react";
import { ActionDialog } from "@/components/ui/action-dialog";
import { Field, inputClasses } from "@/components/ui/field";
import { grantQuotaAction } from "../actions";

export function GrantQuotaButton({ memberId }: { memberId: string }) {
  return (
    <ActionDialog
      label="Grant invites"
      icon={<Gift className="size-4" aria-hidden />}
      variant="primary"
      title="Grant invites"
      description="Adds invites to this member's balance, as a ledger row and an audit event."
      confirmLabel="Grant"
      hidden={{ memberId }}
      action={grantQuotaAction}
      success="Invites granted."
    >
      {(errors) => (
        <Field label="Invites to add" htmlFor="amount" error={errors.amount} hint="1 to 1000.">
          <input id="amount" name="amount" type="number" min={1} max={1000} step={1} required aria-invalid={errors.amount ? true : undefined} className={inputClasses} />
        </Field>
      )}
    </ActionDialog>
  );
}
