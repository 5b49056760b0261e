"use client";

import { useRef, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { KeyRound, Plus } from "lucide-react";
import { toast } from "sonner";
import type { ActionResult } from "@/lib/action-result";
import { Button, type ButtonVariant } from "@/components/ui/button";
import { CopyButton } from "./copy-button";
import { DialogActions, DialogError } from "./dialog-form-parts";

export interface RevealedSecret {
  /** What the secret is, e.g. "Password for ana@example.com". */
  title: string;
  value: string;
  note: string;
}

/**
 * A create form in a dialog whose result holds a secret shown exactly once (a generated password,
 * an API token): after success the dialog shows the secret with a copy button instead of the form,
 * until the dialog closes.
 */
export function SecretFormDialog<T>({
  label,
  title,
  description,
  submitLabel,
  fields,
  action,
  reveal,
  successMessage,
  icon = <Plus className="size-4" aria-hidden />,
  variant = "primary",
}: {
  label: string;
  /** Before the label on the trigger button. */
  icon?: React.ReactNode;
  variant?: ButtonVariant;
  title: string;
  description: string;
  submitLabel: string;
  fields: (fieldErrors: Record<string, string>) => React.ReactNode;
  action: (input: FormData) => Promise<ActionResult<T>>;
  reveal: (data: T) => RevealedSecret;
  successMessage: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<{ message: string; fieldErrors: Record<string, string> } | null>(null);
  const [secret, setSecret] = useState<RevealedSecret | null>(null);
  // A fresh form each time the dialog opens.
  const [formKey, setFormKey] = useState(0);

  function open() {
    setError(null);
    setSecret(null);
    setFormKey((k) => k + 1);
    dialog.current?.showModal();
  }

  function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(async () => {
      const result = await action(form);
      if (result.ok) {
        setError(null);
        setSecret(reveal(result.data));
        toast.success(successMessage);
        router.refresh();
      } else {
        setError({ message: result.error, fieldErrors: result.fieldErrors ?? {} });
      }
    });
  }

  return (
    <>
      <Button type="button" size="sm" variant={variant} onClick={open} className="shrink-0">
        {icon}
        {label}
      </Button>
      <dialog
        ref={dialog}
        aria-label={title}
        // Shown once: closed (Done, Escape), the secret leaves the page.
        onClose={() => setSecret(null)}
        className="m-auto w-full max-w-lg rounded-xl border border-slate-200 bg-white p-0 text-left shadow-xl backdrop:bg-slate-900/40"
      >
        {secret ? (
          <div>
            <div className="space-y-3 px-6 pt-5 pb-4">
              <h2 className="flex items-center gap-2 text-base font-semibold text-slate-900">
                <KeyRound className="size-4 text-brand-600" aria-hidden />
                {secret.title}
              </h2>
              <p className="text-sm text-slate-600">{secret.note}</p>
              <div className="flex items-center gap-2">
                <code
                  data-testid="revealed-secret"
                  className="min-w-0 flex-1 select-all break-all rounded-md bg-slate-900 px-3 py-2 font-mono text-sm text-emerald-300"
                >
                  {secret.value}
                </code>
                <CopyButton value={secret.value} />
              </div>
            </div>
            <div className="flex justify-end rounded-b-xl border-t border-slate-100 bg-slate-50 px-6 py-3">
              <Button type="button" size="sm" onClick={() => dialog.current?.close()}>
                Done
              </Button>
            </div>
          </div>
        ) : (
          <form key={formKey} onSubmit={submit} noValidate>
            <div className="space-y-4 px-6 pt-5 pb-4">
              <div>
                <h2 className="text-base font-semibold text-slate-900">{title}</h2>
                <p className="mt-1 text-sm text-slate-600">{description}</p>
              </div>
              {fields(error?.fieldErrors ?? {})}
              <DialogError message={error?.message} />
            </div>
            <DialogActions onCancel={() => dialog.current?.close()} submitLabel={submitLabel} pending={pending} />
          </form>
        )}
      </dialog>
    </>
  );
}
