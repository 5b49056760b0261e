"use server";

import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import { z } from "zod";
import { signIn, signOut } from "@/app/_server/auth";
import { StaffSignInRefused } from "@/app/_server/auth-config";
import { SSO_PROVIDER_ID, ssoConfigured } from "@/app/_server/sso";

export interface SignInState {
  error?: string;
  fieldErrors?: { email?: string; password?: string; secondFactor?: string };
  email?: string;
  /** "second_factor": the password was right; the form asks for a code and sends both again. */
  step?: "password" | "second_factor";
}

const signInInput = z.object({
  email: z.email("Enter a valid e-mail address.").max(254),
  password: z.string().min(1, "Enter your password.").max(200),
  secondFactor: z.string().trim().max(40).optional(),
  callbackUrl: z.string().optional(),
});

/** What the form says for each refusal of the credentials provider (app/_server/auth-config.ts). */
function refusalState(error: AuthError, email: string, secondStep: boolean): SignInState {
  const refusal = error instanceof StaffSignInRefused ? error.refusal : "credentials";
  switch (refusal) {
    case "second_factor_required":
      return { step: "second_factor", email };
    case "second_factor_invalid":
      return {
        step: "second_factor",
        email,
        fieldErrors: { secondFactor: "That code is not valid, or it has been used already." },
      };
    case "throttled": {
      const minutes = Math.max(1, Math.ceil(((error as StaffSignInRefused).retryAfterSeconds ?? 60) / 60));
      return { error: `Too many attempts from your address. Try again in ${minutes} min.`, email, step: secondStep ? "second_factor" : "password" };
    }
    case "busy":
      return { error: "The server is busy checking passwords. Try again in a moment.", email, step: secondStep ? "second_factor" : "password" };
    default:
      return { error: "That e-mail and password do not match an active staff account.", email };
  }
}

/** Only same-site paths: an open redirect after sign-in would be a phishing aid. */
function safeCallback(value: string | undefined): string {
  return value && value.startsWith("/") && !value.startsWith("//") ? value : "/";
}

export async function signInWithPassword(_previous: SignInState, form: FormData): Promise<SignInState> {
  const parsed = signInInput.safeParse({
    email: String(form.get("email") ?? "").trim(),
    password: String(form.get("password") ?? ""),
    secondFactor: form.get("secondFactor")?.toString() || undefined,
    callbackUrl: form.get("callbackUrl")?.toString(),
  });
  const email = String(form.get("email") ?? "");
  if (!parsed.success) {
    const fieldErrors: SignInState["fieldErrors"] = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path[0];
      if (key === "email" || key === "password") fieldErrors[key] ??= issue.message;
    }
    return { fieldErrors, email };
  }
  // The throttle, the verification slots and the second factor live in the credentials
  // provider's authorize (every path that checks a password reaches it), not here.
  try {
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      ...(parsed.data.secondFactor ? { secondFactor: parsed.data.secondFactor } : {}),
      redirectTo: safeCallback(parsed.data.callbackUrl),
    });
  } catch (error) {
    // signIn redirects by throwing; only Auth.js's own errors mean "not signed in".
    if (error instanceof AuthError) return refusalState(error, email, Boolean(parsed.data.secondFactor));
    throw error;
  }
  return {};
}

/** Off to the company's OpenID Connect provider; it sends the browser back to /api/auth/callback/oidc. */
export async function signInWithSso(form: FormData): Promise<void> {
  if (!ssoConfigured()) redirect("/sign-in");
  try {
    await signIn(SSO_PROVIDER_ID, { redirectTo: safeCallback(form.get("callbackUrl")?.toString()) });
  } catch (error) {
    // The provider's discovery document could not be read (provider down, wrong issuer).
    if (error instanceof AuthError) redirect("/sign-in?error=sso_unavailable");
    throw error;
  }
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/sign-in" });
}
