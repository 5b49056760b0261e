"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Button, type ButtonVariant } from "./button";
import { Dialog } from "./dialog";

/** What a console server action answers (app/_server/staff-actor.ts ActionResult). */
export type ActionOutcome = { ok: true; data: unknown } | { ok: false; code: string; error: string; fieldErrors?: Record<string, string> };

/**
 * A button that opens a confirmation dialog holding a small form; submitting runs the server
 * action, shows field errors inline, and on success closes, toasts and refreshes the page.
 * `children` renders the form fields from the current field errors.
 */
export function ActionDialog({
  label,
  icon,
  variant = "secondary",
  title,
  description,
  confirmLabel,
  confirmVariant = "primary",
  hidden,
  action,
  success,
  children,
}: {
  label: string;
  icon?: React.ReactNode;
  variant?: ButtonVariant;
  title: string;
  description?: React.ReactNode;
  confirmLabel: string;
  confirmVariant?: ButtonVariant;
  hidden: Record<string, string>;
  action: (input: FormData) => Promise<ActionOutcome>;
  success: string;
  children?: (errors: Record<string, string>) => React.ReactNode;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [pending, startTransition] = useTransition();

  function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(async () => {
      const result = await action(form);
      if (result.ok) {
        setErrors({});
        setOpen(false);
        toast.success(success);
        router.refresh();
        return;
      }
      setErrors(result.fieldErrors ?? {});
      toast.error(result.error);
    });
  }

  return (
    <>
      <Button type="button" variant={variant} size="sm" onClick={() => setOpen(true)}>
        {icon}
        {label}
      </Button>
      <Dialog
        open={open}
        onClose={() => {
          setOpen(false);
          setErrors({});
        }}
        title={title}
        description={description}
      >
        <form onSubmit={submit} className="space-y-4" noValidate>
          {Object.entries(hidden).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          {children?.(errors)}
          {errors.form ? <p className="text-sm text-red-600">{errors.form}</p> : null}
          <div className="flex justify-end gap-2 pt-2">
            <Button type="button" variant="ghost" size="sm" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" variant={confirmVariant} size="sm" disabled={pending}>
              {pending ? "Working…" : confirmLabel}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
