"use client";

import { createStaffAction } from "../actions";
import { Field, inputClasses } from "@/components/ui/field";
import { SecretFormDialog } from "@/components/ui/secret-form-dialog";
import { RoleField } from "./role-field";

export function CreateStaffDialog() {
  return (
    <SecretFormDialog
      label="Add staff member"
      title="Add a staff member"
      description="A password is generated and shown once; pass it on through a safe channel."
      submitLabel="Create account"
      action={createStaffAction}
      successMessage="Staff member created"
      reveal={(data) => ({
        title: `Password for ${data.email}`,
        value: data.password,
        note: "Copy it now: it is stored only as a hash and will not be shown again.",
      })}
      fields={(errors) => (
        <>
          <Field label="E-mail" htmlFor="new-staff-email" error={errors.email}>
            <input id="new-staff-email" name="email" type="email" autoComplete="off" required aria-invalid={Boolean(errors.email)} className={inputClasses} />
          </Field>
          <Field label="Name" htmlFor="new-staff-name" error={errors.name} hint="Optional">
            <input id="new-staff-name" name="name" autoComplete="off" className={inputClasses} />
          </Field>
          <RoleField id="new-staff-role" defaultValue="support" error={errors.role} />
        </>
      )}
    />
  );
}
