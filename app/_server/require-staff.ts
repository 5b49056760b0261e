// For server components (pages, layouts): the signed-in staff member with the role as it is in
// the database NOW. Signed out (or disabled) → /sign-in; owing a step (a password an admin reset,
// a second factor the console requires) → that step's page; lacking the permission → /forbidden
// (a page that says so; `forbidden()` would need an experimental Next flag).
import "server-only";
import { cache } from "react";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { can, type Actor, type Permission } from "@/lib/auth/roles";
import { sessionStaffId } from "./auth";
import { pendingStepPath, sessionActorForStaffId, type SessionActor } from "./staff-actor";

/** One database read per request, however many components ask. */
const currentSession = cache(async (): Promise<SessionActor | null> => {
  const staffId = await sessionStaffId();
  return staffId ? sessionActorForStaffId(getDb(), staffId) : null;
});

/** The signed-in member who owes no step, or null. */
async function currentActor(): Promise<Actor | null> {
  const session = await currentSession();
  return session && !session.pending ? session.actor : null;
}

export async function requireStaff(permission: Permission = "view"): Promise<Actor> {
  const session = await currentSession();
  if (!session) redirect("/sign-in");
  if (session.pending) redirect(pendingStepPath[session.pending]);
  if (!can(session.actor.role, permission)) redirect("/forbidden");
  return session.actor;
}

/** For the pages of an account's own steps: any signed-in member, owing a step or not. */
export async function requireSession(): Promise<SessionActor> {
  const session = await currentSession();
  if (!session) redirect("/sign-in");
  return session;
}

export { currentActor, currentSession };
