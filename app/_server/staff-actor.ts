// The console's staff identity, independent of next-auth so it can be tested directly: the
// session only carries the staff id (its version is checked by the jwt callback); the role, and
// whether the account is still enabled, is read from the database on every request, so a role
// change or a disable applies at once. An account that owes a step — a password an admin reset,
// a second factor the console requires — acts nowhere but on that step (sessionActorForStaffId).
import type { Database } from "@/db/client";
import type { Actor } from "@/lib/auth/roles";
import { staffSessionState, type PendingAccountStep } from "@/lib/staff/find-staff";
import { isUuid } from "@/lib/validation/fields";

export interface SessionActor {
  actor: Actor;
  /** What the member must do before anything else; null when nothing. */
  pending: PendingAccountStep | null;
}

/** The signed-in member with their CURRENT role and any step they owe, or null (unknown or disabled). */
export async function sessionActorForStaffId(db: Database, staffId: string, requestId?: string): Promise<SessionActor | null> {
  // A malformed id (an old or forged cookie) is "not signed in", not a database error.
  if (!isUuid(staffId)) return null;
  const state = await staffSessionState(db, staffId);
  if (!state) return null;
  const { staff, pending } = state;
  return { actor: { staffId: staff.id, email: staff.email, role: staff.role, via: { kind: "session" }, requestId }, pending };
}

/** The signed-in member as an Actor, or null (unknown, disabled, or owing a step first). */
export async function actorForStaffId(db: Database, staffId: string, requestId?: string): Promise<Actor | null> {
  const session = await sessionActorForStaffId(db, staffId, requestId);
  return session && !session.pending ? session.actor : null;
}

/** What an account that owes a step is told when it tries anything else. */
export const pendingStepMessage: Record<PendingAccountStep, string> = {
  password_change: "Choose a new password first: an admin reset yours.",
  two_factor_enrolment: "Set up your second factor first: the console requires one.",
};

/** Where the console sends an account that owes a step. */
export const pendingStepPath: Record<PendingAccountStep, string> = {
  password_change: "/change-password",
  two_factor_enrolment: "/enrol-two-factor",
};
