"use client";

import { createApiTokenAction } from "../actions";
import { Field, inputClasses } from "@/components/ui/field";
import { SecretFormDialog } from "@/components/ui/secret-form-dialog";

/** A token for the signed-in member (`owner`), whatever their role: nobody creates a token that acts as someone else. */
export function CreateApiTokenDialog({ owner, defaultDays, maxDays }: { owner: string; defaultDays: number; maxDays: number }) {
  return (
    <SecretFormDialog
      label="Create API token"
      title="Create an API token"
      description={`The token is yours (${owner}): it acts with your current role, is audited as you, and stops working if your account is disabled.`}
      submitLabel="Create token"
      action={createApiTokenAction}
      successMessage="API token created"
      reveal={(data) => ({
        title: `API token ${data.prefix}…`,
        value: data.token,
        note: "Copy it now: only its hash is stored, it will not be shown again. Send it in the header “Authorization: Bearer <token>”.",
      })}
      fields={(errors) => (
        <>
          <Field label="Name" htmlFor="new-token-name" error={errors.name} hint="What uses it, e.g. “growth-scripts”">
            <input id="new-token-name" name="name" autoComplete="off" aria-invalid={Boolean(errors.name)} className={inputClasses} />
          </Field>
          <Field label="Expires after (days)" htmlFor="new-token-expiry" error={errors.expiresInDays} hint={`Every token expires: 1 to ${maxDays} days (${defaultDays} when left empty)`}>
            <input id="new-token-expiry" name="expiresInDays" inputMode="numeric" defaultValue={String(defaultDays)} aria-invalid={Boolean(errors.expiresInDays)} className={inputClasses} />
          </Field>
        </>
      )}
    />
  );
}
