import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentSession } from "@/app/_server/require-staff";
import { SSO_PROVIDER_NAME, ssoConfigured, ssoErrorMessage } from "@/app/_server/sso";
import { SignInForm } from "../_components/sign-in-form";
import { SsoSignIn } from "../_components/sso-sign-in";
import { StepPage } from "../_components/step-page";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string; changed?: string }> }) {
  // Signed in (also when the account owes a step: "/" sends it there).
  if (await currentSession()) redirect("/");
  const { callbackUrl, error, changed } = await searchParams;
  const callback = typeof callbackUrl === "string" ? callbackUrl : undefined;
  // Set when single sign-on (or Auth.js, whose error page this is too) sent the browser back here.
  const ssoError = ssoErrorMessage(typeof error === "string" ? error : undefined);
  return (
    <StepPage title="Sign in to Gatehouse" subtitle="Beta operations console — staff only" footer="Accounts are created by an admin. Ask one if you need access.">
      {ssoError ? (
        <div role="alert" data-testid="sso-error" className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-inset ring-red-200">
          {ssoError}
        </div>
      ) : null}
      {changed ? (
        <p role="status" data-testid="password-changed" className="mb-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-inset ring-emerald-200">
          Your password is changed. Sign in with the new one.
        </p>
      ) : null}
      <SignInForm callbackUrl={callback} />
      {ssoConfigured() ? <SsoSignIn providerName={SSO_PROVIDER_NAME} callbackUrl={callback} /> : null}
    </StepPage>
  );
}
