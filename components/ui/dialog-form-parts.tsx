"use client";

import type { ReactNode } from "react";
import { LoaderCircle } from "lucide-react";
import { Button, type ButtonVariant } from "./button";

/** The error of a dialog's form, beside its fields (announced to screen readers). */
export function DialogError({ message }: { message: string | undefined }): ReactNode {
  if (!message) return null;
  return (
    <p role="alert" data-testid="dialog-error" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-inset ring-red-200">
      {message}
    </p>
  );
}

/** A dialog form's footer: Cancel closes the dialog; the submit button spins while the action runs. */
export function DialogActions({
  onCancel,
  submitLabel,
  pending,
  variant,
}: {
  onCancel: () => void;
  submitLabel: ReactNode;
  pending: boolean;
  variant?: ButtonVariant;
}) {
  return (
    <div className="flex justify-end gap-2 rounded-b-xl border-t border-slate-100 bg-slate-50 px-6 py-3">
      <Button type="button" variant="ghost" size="sm" onClick={onCancel}>
        Cancel
      </Button>
      <Button type="submit" variant={variant} size="sm" disabled={pending}>
        {pending ? <LoaderCircle className="size-4 animate-spin" aria-hidden /> : null}
        {submitLabel}
      </Button>
    </div>
  );
}
