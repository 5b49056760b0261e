"use server";

import { headers } from "next/headers";
import { AuthError } from "next-auth";
import { z } from "zod";
import { signIn, signOut } from "@/app/_server/auth";
import { signInThrottle } from "@/app/_server/sign-in-throttle";
import { clientAddressOf } from "@/lib/http/request";

export interface SignInState {
  error?: string;
  fieldErrors?: { email?: string; password?: string };
  email?: string;
}

const signInInput = z.object({
  email: z.email("Enter a valid e-mail address.").max(254),
  password: z.string().min(1, "Enter your password.").max(200),
  callbackUrl: z.string().optional(),
});

/** Only same-site paths: an open redirect after sign-in would be a phishing aid. */
function safeCallback(value: string | undefined): string {
  return value && value.startsWith("/") && !value.startsWith("//") ? value : "/";
}

export async function signInWithPassword(_previous: SignInState, form: FormData): Promise<SignInState> {
  const parsed = signInInput.safeParse({
    email: String(form.get("email") ?? "").trim(),
    password: String(form.get("password") ?? ""),
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
  const ip = clientAddressOf(await headers());
  const throttle = signInThrottle();
  const wait = await throttle.blockedFor(parsed.data.email, ip);
  if (wait > 0) {
    return { error: `Too many failed attempts. Try again in ${Math.ceil(wait / 60)} min.`, email };
  }
  try {
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      redirectTo: safeCallback(parsed.data.callbackUrl),
    });
  } catch (error) {
    // signIn redirects by throwing; only Auth.js's own errors mean "not signed in".
    if (error instanceof AuthError) {
      await throttle.recordFailure(parsed.data.email, ip);
      return { error: "That e-mail and password do not match an active staff account.", email };
    }
    throw error;
  }
  return {};
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/sign-in" });
}
