// Single sign-on through the company's OpenID Connect provider, offered when AUTH_OIDC_ISSUER,
// AUTH_OIDC_CLIENT_ID and AUTH_OIDC_CLIENT_SECRET are set (lib/env.js takes all three or none).
// The provider only vouches for an e-mail address: lib/staff/sso-sign-in decides who that is,
// and the session then carries the staff id exactly as a password sign-in does. No "server-only"
// marker: auth-config.ts imports this, and the tests build the real Auth.js handlers from that.
import { headers } from "next/headers";
import type { Account, Profile, User } from "next-auth";
import type { OIDCConfig } from "next-auth/providers";
import { getDb } from "@/db/client";
import { env } from "@/lib/env.js";
import { requestIdFrom } from "@/lib/http/request";
import { signInWithSsoIdentity, type SsoRefusal } from "@/lib/staff/sso-sign-in";

/** The Auth.js provider id: the redirect URI registered at the provider ends in /api/auth/callback/oidc. */
export const SSO_PROVIDER_ID = "oidc";
/** What the sign-in page calls it ("Sign in with SSO"); the SPEC names no variable for it. */
export const SSO_PROVIDER_NAME = "SSO";

export function ssoConfigured(): boolean {
  return Boolean(env.AUTH_OIDC_ISSUER && env.AUTH_OIDC_CLIENT_ID && env.AUTH_OIDC_CLIENT_SECRET);
}

/** The OIDC provider when configured, else none. */
export function ssoProviders(): OIDCConfig<Profile>[] {
  if (!ssoConfigured()) return [];
  return [
    {
      id: SSO_PROVIDER_ID,
      name: SSO_PROVIDER_NAME,
      type: "oidc",
      issuer: env.AUTH_OIDC_ISSUER,
      clientId: env.AUTH_OIDC_CLIENT_ID,
      clientSecret: env.AUTH_OIDC_CLIENT_SECRET,
      authorization: { params: { scope: "openid email profile" } },
      // The claims from the userinfo endpoint (checked against the ID token's `sub`): OIDC Core
      // guarantees `email` and `email_verified` there for the `email` scope, while many
      // providers leave them out of the ID token when an access token is issued.
      idToken: false,
      checks: ["pkce", "state", "nonce"],
    },
  ];
}

/** Why an SSO sign-in was refused, as the sign-in page's `?error=` (see ssoErrorMessage). */
const refusalCodes: Record<SsoRefusal, string> = {
  email_unverified: "sso_unverified",
  unknown_staff: "sso_unknown",
  staff_disabled: "sso_disabled",
};

/**
 * Auth.js `signIn` callback: password sign-ins pass (their checks are in `authorize`); an SSO
 * sign-in is let in only for an existing, enabled staff member, whose id (and session version)
 * then become the user the `jwt` callback puts in the session (Auth.js hands it this same object).
 */
export async function allowSignIn({ user, account, profile }: { user: User; account?: Account | null; profile?: Profile }): Promise<boolean | string> {
  if (account?.provider !== SSO_PROVIDER_ID) return true;
  const result = await signInWithSsoIdentity(getDb(), {
    issuer: env.AUTH_OIDC_ISSUER ?? "",
    subject: String(profile?.sub ?? account.providerAccountId),
    email: profile?.email,
    emailVerified: profile?.email_verified,
    requestId: requestIdFrom(await headers()),
  });
  if (!result.ok) return `/sign-in?error=${refusalCodes[result.reason]}`;
  user.id = result.staff.id;
  user.email = result.staff.email;
  user.name = result.staff.name;
  user.sessionVersion = result.staff.sessionVersion;
  return true;
}

/**
 * The sign-in page's message for `?error=`: our refusals, then Auth.js's own codes (the page is
 * also its error page) for a provider that failed or a person who cancelled at the provider.
 */
export function ssoErrorMessage(code: string | undefined): string | null {
  switch (code) {
    case undefined:
    case "":
      return null;
    case "sso_unknown":
      return "Your single sign-on account is not a Gatehouse staff member. Ask an admin to add your e-mail address.";
    case "sso_disabled":
      return "Your Gatehouse staff account is disabled. Ask an admin to enable it.";
    case "sso_unverified":
      return "Your single sign-on provider did not confirm your e-mail address, so it cannot be matched to a staff account.";
    case "sso_unavailable":
      return "The single sign-on provider cannot be reached right now. Try again, or sign in with your password.";
    case "CredentialsSignin":
      // A password refused at Auth.js's own endpoint (the form itself answers in place).
      return "Sign-in was refused. Check your e-mail and password and try again.";
    case "AccessDenied":
      return "Single sign-on was cancelled or refused.";
    default:
      // Auth.js sends its other errors (e.g. Configuration) here too, with or without SSO.
      return ssoConfigured()
        ? "Single sign-on did not complete. Try again, or sign in with your password."
        : "Sign-in did not complete. Try again.";
  }
}
