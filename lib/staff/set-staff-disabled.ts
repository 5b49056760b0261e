// Disabling a staff account (and enabling it again). A disabled member cannot sign in, their
// open sessions end (the session version moves on) and their API tokens stop authenticating. Admins only; audited in the same transaction.
import { eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { staffUsers, type StaffUser } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";

export interface SetStaffDisabledInput {
  staffId: string;
  disabled: boolean;
}

export async function setStaffDisabled(db: Database, actor: Actor, input: SetStaffDisabledInput): Promise<StaffUser> {
  assertCan(actor, "manage_staff");
  // Locking yourself out would need someone with database access to undo it. (This also keeps
  // one active admin: the actor is one, and is not the target.)
  if (input.disabled && input.staffId === actor.staffId) {
    throw new AppError("invalid_state", "You cannot disable your own account.");
  }
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(staffUsers).where(eq(staffUsers.id, input.staffId)).for("update");
    if (!before) throw new AppError("not_found", "No such staff member.");
    if (Boolean(before.disabledAt) === input.disabled) {
      throw new AppError("invalid_state", input.disabled ? `${before.email} is already disabled.` : `${before.email} is already active.`);
    }
    const [after] = await tx
      .update(staffUsers)
      // Either way the member's open sessions end (SPEC §3.8): after a disable and an enable,
      // the old sessions do not come back.
      .set({ disabledAt: input.disabled ? new Date() : null, sessionVersion: sql`${staffUsers.sessionVersion} + 1`, updatedAt: new Date() })
      .where(eq(staffUsers.id, input.staffId))
      .returning();
    await recordAudit(tx, {
      actor,
      action: input.disabled ? "staff.disable" : "staff.enable",
      targetType: "staff",
      targetId: input.staffId,
      before: { email: before.email, disabled: Boolean(before.disabledAt) },
      after: { email: after!.email, disabled: input.disabled },
    });
    return after!;
  });
}

