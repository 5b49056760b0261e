import { and, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { staffUsers, type StaffRole, type StaffUser } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";

export async function setStaffRole(db: Database, actor: Actor, staffId: string, role: StaffRole): Promise<StaffUser> {
  assertCan(actor, "manage_staff");
  return db.transaction(async (tx) => {
    // A demotion must not leave the console without an admin. Lock the active admins first, in
    // id order, so concurrent demotions queue up instead of both seeing "another admin left"
    // (or deadlocking on each other's rows).
    const admins =
      role === "admin"
        ? []
        : await tx
            .select({ id: staffUsers.id })
            .from(staffUsers)
            .where(and(eq(staffUsers.role, "admin"), isNull(staffUsers.disabledAt)))
            .orderBy(staffUsers.id)
            .for("update");
    const [before] = await tx.select().from(staffUsers).where(eq(staffUsers.id, staffId)).for("update");
    if (!before) throw new AppError("not_found", "No such staff member.");
    if (admins.some((a) => a.id === staffId) && admins.length <= 1) {
      throw new AppError("invalid_state", "This is the last active admin: make someone else admin first.", {
        fieldErrors: [{ path: "role", message: "the last active admin cannot be demoted" }],
      });
    }
    // A role change ends the member's sessions (SPEC §3.8): they sign in again under the new role.
    const [after] = await tx
      .update(staffUsers)
      .set({ role, sessionVersion: sql`${staffUsers.sessionVersion} + 1`, updatedAt: new Date() })
      .where(eq(staffUsers.id, staffId))
      .returning();
    await recordAudit(tx, {
      actor,
      action: "staff.set_role",
      targetType: "staff",
      targetId: staffId,
      before: { role: before.role },
      after: { role },
    });
    return after!;
  });
}
