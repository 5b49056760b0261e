"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { LoaderCircle, ShieldCheck, ShieldOff } from "lucide-react";
import { toast } from "sonner";
import type { ActionResult } from "@/lib/action-result";
import type { TwoFactorEnrolment } from "@/lib/staff/two-factor";
import { Button } from "@/components/ui/button";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { Field, inputClasses } from "@/components/ui/field";
import { CopyButton } from "@/components/ui/copy-button";
import { confirmTwoFactorAction, disableTwoFactorAction, regenerateRecoveryCodesAction, startTwoFactorAction } from "../actions";

type View = { kind: "status" } | { kind: "enrolling"; enrolment: TwoFactorEnrolment } | { kind: "codes"; codes: string[] };

function ErrorNote({ message }: { message: string | null }) {
  return message ? (
    <p role="alert" data-testid="form-error" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-inset ring-red-200">
      {message}
    </p>
  ) : null;
}

/** Recovery codes, shown once: the member saves them before going on. */
function RecoveryCodes({ codes, onDone, doneLabel }: { codes: string[]; onDone: () => void; doneLabel: string }) {
  return (
    <div className="space-y-4" data-testid="recovery-codes">
      <div>
        <h3 className="text-sm font-semibold text-slate-900">Your recovery codes</h3>
        <p className="mt-1 text-sm text-slate-600">
          Each one signs you in once if you lose your phone. Keep them somewhere safe, such as your password manager: they are shown only now.
        </p>
      </div>
      <ul className="grid max-w-md grid-cols-2 gap-2 rounded-lg bg-slate-900 p-4 font-mono text-sm text-emerald-300">
        {codes.map((code) => (
          <li key={code} data-testid="recovery-code" className="select-all">
            {code}
          </li>
        ))}
      </ul>
      <div className="flex gap-2">
        <CopyButton value={codes.join("\n")} label="Copy all" />
        <Button type="button" onClick={onDone}>
          {doneLabel}
        </Button>
      </div>
    </div>
  );
}

/**
 * The second factor: set up (QR code, or the key typed by hand, then a code to confirm), new
 * recovery codes, turn off (unless the console requires one). `afterSetup` is where to go once the
 * codes are saved (the console, for an account that had to set one up).
 */
export function TwoFactorSetup({
  enabledAt,
  recoveryCodesLeft,
  required,
  afterSetup,
}: {
  enabledAt: string | null;
  recoveryCodesLeft: number;
  required: boolean;
  afterSetup?: string;
}) {
  const router = useRouter();
  const [view, setView] = useState<View>({ kind: "status" });
  const [error, setError] = useState<{ message: string; fieldErrors: Record<string, string> } | null>(null);
  const [pending, startTransition] = useTransition();

  function run<T>(call: () => Promise<ActionResult<T>>, then: (data: T) => void) {
    startTransition(async () => {
      const result = await call();
      if (result.ok) {
        setError(null);
        then(result.data);
      } else {
        setError({ message: result.error, fieldErrors: result.fieldErrors ?? {} });
      }
    });
  }

  function done() {
    setView({ kind: "status" });
    if (afterSetup) router.push(afterSetup);
    else router.refresh();
  }

  if (view.kind === "codes") return <RecoveryCodes codes={view.codes} onDone={done} doneLabel={afterSetup ? "I have saved them — continue" : "I have saved them"} />;

  if (view.kind === "enrolling") {
    const { enrolment } = view;
    return (
      <form
        className="space-y-4"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          run(
            () => confirmTwoFactorAction(form),
            (data) => {
              toast.success("Second factor turned on");
              setView({ kind: "codes", codes: data.recoveryCodes });
            },
          );
        }}
      >
        <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-600">
          <li>Open an authenticator app on your phone (1Password, Google Authenticator, Authy, …).</li>
          <li>Scan this code, or enter the key by hand.</li>
          <li>Type the 6-digit code the app shows.</li>
        </ol>
        <div className="flex flex-wrap items-start gap-6">
          {/* A data URL drawn on the server: no request leaves the page for it. */}
          <img src={enrolment.qrDataUrl} alt="QR code for your authenticator app" width={180} height={180} className="rounded-lg ring-1 ring-slate-200" data-testid="totp-qr" />
          <div className="min-w-0 space-y-3">
            <div>
              <p className="text-xs font-medium text-slate-500">Key</p>
              <code data-testid="totp-secret" className="block select-all break-all rounded-md bg-slate-100 px-2 py-1 font-mono text-sm text-slate-800">
                {enrolment.secret.replace(/(.{4})/g, "$1 ").trim()}
              </code>
            </div>
            <Field label="Code from the app" htmlFor="code" error={error?.fieldErrors.code} className="w-48">
              <input
                id="code"
                name="code"
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                required
                autoFocus
                aria-invalid={error?.fieldErrors.code ? true : undefined}
                aria-describedby={error?.fieldErrors.code ? "code-error" : undefined}
                className={`${inputClasses} font-mono tracking-widest`}
              />
            </Field>
          </div>
        </div>
        <ErrorNote message={error && !error.fieldErrors.code ? error.message : null} />
        <div className="flex gap-2">
          <Button type="submit" disabled={pending}>
            {pending ? <LoaderCircle className="size-4 animate-spin" aria-hidden /> : null}
            Turn on
          </Button>
          <Button type="button" variant="ghost" onClick={() => setView({ kind: "status" })}>
            Cancel
          </Button>
        </div>
      </form>
    );
  }

  const start = () => run(() => startTwoFactorAction({}), (enrolment) => setView({ kind: "enrolling", enrolment }));

  if (!enabledAt) {
    return (
      <div className="space-y-3">
        <p className="flex items-center gap-2 text-sm text-slate-600" data-testid="two-factor-status">
          <ShieldOff className="size-4 text-slate-400" aria-hidden />
          Off. {required ? "The console requires it: set it up to go on." : "Signing in needs only your password."}
        </p>
        <ErrorNote message={error?.message ?? null} />
        <Button type="button" onClick={start} disabled={pending}>
          {pending ? <LoaderCircle className="size-4 animate-spin" aria-hidden /> : <ShieldCheck className="size-4" aria-hidden />}
          Set up a second factor
        </Button>
      </div>
    );
  }

  return (
    <div className="space-y-3">
      <p className="flex items-center gap-2 text-sm text-slate-700" data-testid="two-factor-status">
        <ShieldCheck className="size-4 text-emerald-600" aria-hidden />
        On since {new Date(enabledAt).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric" })} ·{" "}
        <span data-testid="recovery-codes-left">{recoveryCodesLeft}</span> recovery {recoveryCodesLeft === 1 ? "code" : "codes"} left
      </p>
      <ErrorNote message={error?.message ?? null} />
      <div className="flex flex-wrap gap-2">
        <Button
          type="button"
          variant="secondary"
          disabled={pending}
          onClick={() => {
            if (window.confirm("New recovery codes replace the ones you have now. Go on?")) {
              run(() => regenerateRecoveryCodesAction({}), (data) => setView({ kind: "codes", codes: data.recoveryCodes }));
            }
          }}
        >
          New recovery codes
        </Button>
        <Button type="button" variant="secondary" disabled={pending} onClick={start}>
          Move to a new phone
        </Button>
        {required ? null : (
          <ConfirmAction
            label="Turn off"
            confirmVariant="danger"
            title="Turn off the second factor?"
            description="Signing in will need only your password, and your recovery codes stop working."
            confirmLabel="Turn off"
            hidden={{}}
            action={disableTwoFactorAction}
            successMessage="Second factor turned off"
          />
        )}
      </div>
    </div>
  );
}
