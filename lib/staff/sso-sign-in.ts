// Single sign-on (SPEC §3.8): the company's OpenID Connect provider vouches for an e-mail
// address; Gatehouse lets in the existing, enabled staff member with that address and nobody
// else. Nobody is created by signing in (an admin creates staff accounts), the role is the
// member's as in the database, and every attempt — let in or refused — is audited.
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { staffUsers, type StaffUser } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Actor } from "@/lib/auth/roles";
import { findStaffByEmail } from "./find-staff";

/** What the provider said about the person (its ID token / userinfo claims). */
export interface SsoIdentity {
  issuer: string;
  /** The provider's `sub`: stable per person at that provider. */
  subject: string;
  email: unknown;
  emailVerified: unknown;
  requestId?: string;
}

export type SsoRefusal = "email_unverified" | "unknown_staff" | "staff_disabled";

export type SsoSignInResult = { ok: true; staff: StaffUser } | { ok: false; reason: SsoRefusal };

/**
 * Some providers send `email_verified` as the string "true" (it is a boolean in OIDC Core);
 * anything else — false, missing — is not verified.
 */
function isVerified(value: unknown): boolean {
  return value === true || value === "true";
}

export async function signInWithSsoIdentity(db: Database, identity: SsoIdentity): Promise<SsoSignInResult> {
  const email = typeof identity.email === "string" ? identity.email.trim() : "";
  const provider = { issuer: identity.issuer, subject: identity.subject };
  const refuse = async (reason: SsoRefusal, staff?: StaffUser): Promise<SsoSignInResult> => {
    // Nobody is signed in: the row is the system's, naming who the provider vouched for.
    await recordAudit(db, {
      actor: null,
      requestId: identity.requestId,
      action: "staff.sso_sign_in_refused",
      targetType: "staff",
      targetId: staff?.id ?? null,
      after: { email: email || null, reason, ...provider },
    });
    return { ok: false, reason };
  };

  // An unverified address proves nothing about who is signing in: never match on it.
  if (!email || !isVerified(identity.emailVerified)) return refuse("email_unverified");
  const staff = await findStaffByEmail(db, email);
  if (!staff) return refuse("unknown_staff");
  if (staff.disabledAt) return refuse("staff_disabled", staff);

  return db.transaction(async (tx) => {
    const [signedIn] = await tx.update(staffUsers).set({ lastSignInAt: new Date() }).where(eq(staffUsers.id, staff.id)).returning();
    const actor: Actor = { staffId: staff.id, email: staff.email, role: staff.role, via: { kind: "session" }, requestId: identity.requestId };
    await recordAudit(tx, { actor, action: "staff.sso_sign_in", targetType: "staff", targetId: staff.id, after: { role: staff.role, ...provider } });
    return { ok: true as const, staff: signedIn ?? staff };
  });
}
