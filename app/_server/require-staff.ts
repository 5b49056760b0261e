// For server components (pages, layouts): the signed-in staff member with the role as it is in
// the database NOW. Signed out (or disabled) → /sign-in; lacking the permission → /forbidden
// (a page that says so; `forbidden()` would need an experimental Next flag).
import "server-only";
import { cache } from "react";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { can, type Actor, type Permission } from "@/lib/auth/roles";
import { sessionStaffId } from "./auth";
import { actorForStaffId } from "./staff-actor";

/** One database read per request, however many components ask. */
const currentActor = cache(async (): Promise<Actor | null> => {
  const staffId = await sessionStaffId();
  return staffId ? actorForStaffId(getDb(), staffId) : null;
});

export async function requireStaff(permission: Permission = "view"): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect("/sign-in");
  if (!can(actor.role, permission)) redirect("/forbidden");
  return actor;
}

export { currentActor };
