"use client";

import { useRef, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import type { ActionResult } from "@/lib/action-result";
import { Button, type ButtonVariant } from "./button";
import { DialogActions, DialogError } from "./dialog-form-parts";

/**
 * A button that opens a confirmation dialog (a native <dialog>: focus trap and Escape for free)
 * with optional fields, then runs a server action. Success: toast + refresh; failure: the error
 * stays in the dialog next to the fields.
 */
export function ConfirmAction<T>({
  label,
  icon,
  title,
  description,
  confirmLabel,
  variant = "secondary",
  confirmVariant = "primary",
  hidden,
  fields,
  action,
  successMessage,
}: {
  label: string;
  /** Shown before the label on the trigger button. */
  icon?: React.ReactNode;
  title: string;
  description: React.ReactNode;
  confirmLabel: string;
  variant?: ButtonVariant;
  confirmVariant?: ButtonVariant;
  hidden: Record<string, string>;
  fields?: (fieldErrors: Record<string, string>) => React.ReactNode;
  action: (input: FormData) => Promise<ActionResult<T>>;
  successMessage: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<{ message: string; fieldErrors: Record<string, string> } | null>(null);

  function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(async () => {
      const result = await action(form);
      if (result.ok) {
        setError(null);
        dialog.current?.close();
        toast.success(successMessage);
        router.refresh();
      } else {
        setError({ message: result.error, fieldErrors: result.fieldErrors ?? {} });
      }
    });
  }

  return (
    <>
      <Button
        type="button"
        size="sm"
        variant={variant}
        onClick={(e) => {
          e.stopPropagation();
          setError(null);
          dialog.current?.showModal();
        }}
      >
        {icon}
        {label}
      </Button>
      <dialog
        ref={dialog}
        aria-label={title}
        onClick={(e) => e.stopPropagation()}
        className="m-auto w-full max-w-md rounded-xl border border-slate-200 bg-white p-0 text-left shadow-xl backdrop:bg-slate-900/40"
      >
        <form onSubmit={submit}>
          {Object.entries(hidden).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <div className="space-y-3 px-6 pt-5 pb-4">
            <h2 className="text-base font-semibold text-slate-900">{title}</h2>
            <div className="text-sm text-slate-600">{description}</div>
            {fields?.(error?.fieldErrors ?? {})}
            <DialogError message={error?.message} />
          </div>
          <DialogActions onCancel={() => dialog.current?.close()} submitLabel={confirmLabel} pending={pending} variant={confirmVariant} />
        </form>
      </dialog>
    </>
  );
}
