// The console's staff identity, independent of next-auth so it can be tested directly: the
// session only carries the staff id; the role (and whether the account is still enabled) is
// read from the database on every request, so a role change or a disable applies at once.
import type { Database } from "@/db/client";
import type { Actor } from "@/lib/auth/roles";
import { getStaffById } from "@/lib/staff/find-staff";
import { isUuid } from "@/lib/validation/fields";


/** The signed-in staff member as an Actor with their CURRENT role, or null (unknown or disabled). */
export async function actorForStaffId(db: Database, staffId: string, requestId?: string): Promise<Actor | null> {
  // A malformed id (an old or forged cookie) is "not signed in", not a database error.
  if (!isUuid(staffId)) return null;
  const staff = await getStaffById(db, staffId);
  if (!staff || staff.disabledAt) return null;
  return { staffId: staff.id, email: staff.email, role: staff.role, via: { kind: "session" }, requestId };
}
