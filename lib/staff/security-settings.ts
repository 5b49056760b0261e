// Console-wide staff security settings (one row, id = 1; absent = the defaults): whether every
// member must have a second factor. Admins change it; audited.
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { staffSecuritySettings, staffUsers } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";

export interface StaffSecurity {
  requireTwoFactor: boolean;
}

export async function getStaffSecurity(db: Database): Promise<StaffSecurity> {
  const [row] = await db.select().from(staffSecuritySettings).where(eq(staffSecuritySettings.id, 1));
  return { requireTwoFactor: row?.requireTwoFactor ?? false };
}

export async function setRequireTwoFactor(db: Database, actor: Actor, requireTwoFactor: boolean): Promise<StaffSecurity> {
  assertCan(actor, "manage_staff");
  if (requireTwoFactor) {
    // The admin who requires it goes first, so they are never stopped at their own next page.
    const [self] = await db.select({ totpSecret: staffUsers.totpSecret }).from(staffUsers).where(eq(staffUsers.id, actor.staffId));
    if (!self?.totpSecret) throw new AppError("invalid_state", "Set up your own second factor (Account page) before requiring one for everyone.");
  }
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(staffSecuritySettings).where(eq(staffSecuritySettings.id, 1)).for("update");
    await tx
      .insert(staffSecuritySettings)
      .values({ id: 1, requireTwoFactor, updatedBy: actor.staffId })
      .onConflictDoUpdate({ target: staffSecuritySettings.id, set: { requireTwoFactor, updatedAt: new Date(), updatedBy: actor.staffId } });
    await recordAudit(tx, {
      actor,
      action: "staff.require_two_factor",
      targetType: "staff_security",
      before: { requireTwoFactor: before?.requireTwoFactor ?? false },
      after: { requireTwoFactor },
    });
    return { requireTwoFactor };
  });
}
