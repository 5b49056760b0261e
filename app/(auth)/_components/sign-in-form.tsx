"use client";

import { useActionState, useState } from "react";
import { LoaderCircle, ShieldCheck } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Field, inputClasses } from "@/components/ui/field";
import { signInWithPassword, type SignInState } from "../actions";

export function SignInForm({ callbackUrl }: { callbackUrl?: string }) {
  const [state, action, pending] = useActionState<SignInState, FormData>(signInWithPassword, {});
  // Kept in the page (not sent back by the server) so the second step can send it again:
  // the provider checks the password and the code together.
  const [password, setPassword] = useState("");
  const secondStep = state.step === "second_factor";
  return (
    <form action={action} className="space-y-4" noValidate>
      {callbackUrl ? <input type="hidden" name="callbackUrl" value={callbackUrl} /> : null}
      {state.error ? (
        <div role="alert" data-testid="form-error" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-inset ring-red-200">
          {state.error}
        </div>
      ) : null}
      {secondStep ? (
        <>
          <input type="hidden" name="email" value={state.email ?? ""} />
          <input type="hidden" name="password" value={password} />
          <div className="flex items-start gap-3 rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-600 ring-1 ring-inset ring-slate-200">
            <ShieldCheck className="mt-0.5 size-4 shrink-0 text-brand-600" aria-hidden />
            <p>
              Signing in as <span className="font-medium text-slate-900">{state.email}</span>. Enter the 6-digit code from your
              authenticator app, or one of your recovery codes.
            </p>
          </div>
          <Field label="Authentication code" htmlFor="secondFactor" error={state.fieldErrors?.secondFactor}>
            <input
              id="secondFactor"
              name="secondFactor"
              type="text"
              inputMode="text"
              autoComplete="one-time-code"
              required
              autoFocus
              aria-invalid={state.fieldErrors?.secondFactor ? true : undefined}
              aria-describedby={state.fieldErrors?.secondFactor ? "secondFactor-error" : undefined}
              className={inputClasses}
            />
          </Field>
        </>
      ) : (
        <>
          <Field label="E-mail" htmlFor="email" error={state.fieldErrors?.email}>
            <input
              id="email"
              name="email"
              type="email"
              autoComplete="username"
              required
              autoFocus
              defaultValue={state.email}
              aria-invalid={state.fieldErrors?.email ? true : undefined}
              aria-describedby={state.fieldErrors?.email ? "email-error" : undefined}
              className={inputClasses}
            />
          </Field>
          <Field label="Password" htmlFor="password" error={state.fieldErrors?.password}>
            <input
              id="password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              aria-invalid={state.fieldErrors?.password ? true : undefined}
              aria-describedby={state.fieldErrors?.password ? "password-error" : undefined}
              className={inputClasses}
            />
          </Field>
        </>
      )}
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? <LoaderCircle className="size-4 animate-spin" aria-hidden /> : null}
        {pending ? "Signing in…" : secondStep ? "Verify" : "Sign in"}
      </Button>
    </form>
  );
}
