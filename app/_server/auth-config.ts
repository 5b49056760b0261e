// The next-auth (v5) configuration of the console, apart from NextAuth() itself (app/_server/auth.ts)
// so the tests build the real handlers from it and drive every Auth.js endpoint.
//
// - Credentials: every password check of every path — the sign-in form's action and Auth.js's own
//   POST /api/auth/callback/credentials alike — runs inside `authorize`, through
//   lib/staff/sign-in.ts (verification slots, throttle consumed before argon2, second factor).
//   Refusals are CredentialsSignin errors whose `code` says why (no detail beyond that).
// - Sessions are JWTs carrying the staff id and the session version they were issued at. On every
//   request the jwt callback compares that version with the member's row (and refuses a disabled
//   member): sign-out, a password change or reset, a disable and a role change move the version
//   on, so every older session ends at once. The role itself is re-read by the staff-actor check.
// Other providers (OIDC) sign in as an existing staff row: the jwt callback reads its version.
import type { NextAuthConfig } from "next-auth";
import { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/db/client";
import { env } from "@/lib/env.js";
import { clientAddressOf, requestIdFrom } from "@/lib/http/request";
import { getRateLimiter } from "@/lib/rate-limit/rate-limiter";
import { endStaffSessions } from "@/lib/staff/change-password";
import { currentSessionVersion } from "@/lib/staff/find-staff";
import { checkStaffSignIn, type PasswordGuard } from "@/lib/staff/sign-in";
import { verificationSlots } from "@/lib/staff/verification-slots";
import { allowSignIn, ssoProviders } from "./sso";
import { isUuid } from "@/lib/validation/fields";

const credentialsInput = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(200),
  secondFactor: z.string().trim().max(40).optional(),
});

export type SignInRefusalCode = "credentials" | "throttled" | "busy" | "second_factor_required" | "second_factor_invalid";

/** A refused credentials sign-in; `code` reaches the client (the redirect's `code` parameter). */
export class StaffSignInRefused extends CredentialsSignin {
  constructor(
    readonly refusal: SignInRefusalCode,
    readonly retryAfterSeconds?: number,
  ) {
    super(refusal);
    this.code = refusal;
  }
}

declare module "next-auth" {
  interface User {
    sessionVersion?: number;
  }
}

export function authConfig(guard: () => PasswordGuard = () => ({ limiter: getRateLimiter(), slots: verificationSlots() })): NextAuthConfig {
  return {
    secret: env.AUTH_SECRET,
    // Behind `next start` on any host/port (tests pick free ports); AUTH_URL pins it when set.
    trustHost: true,
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    // Auth.js's own errors (an SSO provider that failed, a cancelled SSO) land on the sign-in page too.
    pages: { signIn: "/sign-in", error: "/sign-in" },
    // A refused sign-in is an answer, not a server error worth a stack trace in the log.
    logger: {
      error(error) {
        if (error instanceof CredentialsSignin) return;
        console.error(error);
      },
    },
    providers: [
      Credentials({
        credentials: {
          email: { label: "E-mail", type: "email" },
          password: { label: "Password", type: "password" },
          secondFactor: { label: "Authentication code or recovery code", type: "text" },
        },
        async authorize(raw, request) {
          const parsed = credentialsInput.safeParse(raw);
          if (!parsed.success) throw new StaffSignInRefused("credentials");
          const result = await checkStaffSignIn(getDb(), guard(), {
            ...parsed.data,
            secondFactor: parsed.data.secondFactor || undefined,
            clientAddress: clientAddressOf(request.headers),
            requestId: requestIdFrom(request.headers),
          });
          if (!result.ok) throw new StaffSignInRefused(result.reason, result.reason === "throttled" ? result.retryAfterSeconds : undefined);
          const { staff } = result;
          return { id: staff.id, email: staff.email, name: staff.name, sessionVersion: staff.sessionVersion };
        },
      }),
      ...ssoProviders(),
    ],
    callbacks: {
      signIn: allowSignIn,
      async jwt({ token, user }) {
        if (user?.id) {
          // Every provider signs in as a staff row (its uuid); anything else makes no session.
          if (!isUuid(user.id)) return null;
          token.sub = user.id;
          token.sv = user.sessionVersion ?? (await currentSessionVersion(getDb(), user.id));
          return token;
        }
        if (!token.sub || !isUuid(token.sub)) return null;
        const current = await currentSessionVersion(getDb(), token.sub);
        // null ends the session: Auth.js clears the cookie and auth() answers null.
        return current !== null && current === token.sv ? token : null;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        return session;
      },
    },
    events: {
      // Every sign-out (the console's button or POST /api/auth/signout) ends the member's sessions.
      async signOut(message) {
        const sub = "token" in message ? message.token?.sub : undefined;
        if (sub && isUuid(sub)) await endStaffSessions(getDb(), sub);
      },
    },
  };
}
