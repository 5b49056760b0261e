"use client";

import { createApiTokenAction } from "../actions";
import { Field, inputClasses } from "@/components/ui/field";
import { SecretFormDialog } from "./secret-form-dialog";

/** `owners`: active staff e-mails a token can act as. */
export function CreateApiTokenDialog({ owners, defaultOwner }: { owners: string[]; defaultOwner: string }) {
  return (
    <SecretFormDialog
      label="Create API token"
      title="Create an API token"
      description="The token acts with the current role of the staff member it belongs to, and is audited as them."
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
          <Field label="Acts as" htmlFor="new-token-owner" error={errors.email}>
            <select id="new-token-owner" name="email" defaultValue={defaultOwner} className={inputClasses}>
              {owners.map((email) => (
                <option key={email} value={email}>
                  {email}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Name" htmlFor="new-token-name" error={errors.name} hint="What uses it, e.g. “growth-scripts”">
            <input id="new-token-name" name="name" autoComplete="off" aria-invalid={Boolean(errors.name)} className={inputClasses} />
          </Field>
          <Field label="Expires after (days)" htmlFor="new-token-expiry" error={errors.expiresInDays} hint="Leave empty for a token that does not expire">
            <input id="new-token-expiry" name="expiresInDays" inputMode="numeric" defaultValue="90" aria-invalid={Boolean(errors.expiresInDays)} className={inputClasses} />
          </Field>
        </>
      )}
    />
  );
}
