import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { DoorOpen } from "lucide-react";
import { currentActor } from "@/app/_server/require-staff";
import { SSO_PROVIDER_NAME, ssoConfigured, ssoErrorMessage } from "@/app/_server/sso";
import { SignInForm } from "../_components/sign-in-form";
import { SsoSignIn } from "../_components/sso-sign-in";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  if (await currentActor()) redirect("/");
  const { callbackUrl, error } = await searchParams;
  const callback = typeof callbackUrl === "string" ? callbackUrl : undefined;
  // Set when single sign-on (or Auth.js, whose error page this is too) sent the browser back here.
  const ssoError = ssoErrorMessage(typeof error === "string" ? error : undefined);
  return (
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-b from-slate-50 to-slate-100 px-4">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center text-center">
          <div className="flex size-11 items-center justify-center rounded-xl bg-brand-600 text-white shadow-sm">
            <DoorOpen className="size-6" aria-hidden />
          </div>
          <h1 className="mt-4 text-xl font-semibold tracking-tight text-slate-900">Sign in to Gatehouse</h1>
          <p className="mt-1 text-sm text-slate-500">Beta operations console — staff only</p>
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
          {ssoError ? (
            <div role="alert" data-testid="sso-error" className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-inset ring-red-200">
              {ssoError}
            </div>
          ) : null}
          <SignInForm callbackUrl={callback} />
          {ssoConfigured() ? <SsoSignIn providerName={SSO_PROVIDER_NAME} callbackUrl={callback} /> : null}
        </div>
        <p className="mt-6 text-center text-xs text-slate-400">Accounts are created by an admin. Ask one if you need access.</p>
      </div>
    </main>
  );
}
