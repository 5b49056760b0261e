"use client";

import { useActionState } from "react";
import { LoaderCircle } from "lucide-react";
import type { ActionResult } from "@/lib/action-result";
import { Button } from "@/components/ui/button";
import { Field, inputClasses } from "@/components/ui/field";
import { changeOwnPasswordAction } from "../actions";

type State = ActionResult<{ changed: boolean }> | null;

const fields = [
  { name: "currentPassword", label: "Current password", autoComplete: "current-password", hint: undefined },
  { name: "newPassword", label: "New password", autoComplete: "new-password", hint: "At least 12 characters. A passphrase of a few words is easy to type and hard to guess." },
  { name: "confirmPassword", label: "New password again", autoComplete: "new-password", hint: undefined },
] as const;

/** Change your own password; on success every session ends and the sign-in page follows. */
export function ChangePasswordForm({ currentLabel = "Current password" }: { currentLabel?: string }) {
  const [state, action, pending] = useActionState<State, FormData>(changeOwnPasswordAction, null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  return (
    <form action={action} className="max-w-md space-y-4" noValidate data-testid="change-password-form">
      {state && !state.ok ? (
        <div role="alert" data-testid="form-error" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-inset ring-red-200">
          {state.error}
        </div>
      ) : null}
      {fields.map((field) => (
        <Field
          key={field.name}
          label={field.name === "currentPassword" ? currentLabel : field.label}
          htmlFor={field.name}
          error={errors[field.name]}
          hint={field.hint}
        >
          <input
            id={field.name}
            name={field.name}
            type="password"
            autoComplete={field.autoComplete}
            required
            aria-invalid={errors[field.name] ? true : undefined}
            aria-describedby={errors[field.name] ? `${field.name}-error` : undefined}
            className={inputClasses}
          />
        </Field>
      ))}
      <Button type="submit" disabled={pending}>
        {pending ? <LoaderCircle className="size-4 animate-spin" aria-hidden /> : null}
        Change password
      </Button>
      <p className="text-xs text-slate-500">Changing it signs you out everywhere; sign in again with the new one.</p>
    </form>
  );
}
