// Passwords after creation (SPEC §3.8): staff change their own (the current one checked through
// the same guard as a sign-in), an admin resets someone's (a new one, shown once, that must be
// changed at the next sign-in). Either ends every session of that member.
import { eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { staffUsers } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { generatePassword, hashPassword, verifyPassword } from "./passwords";
import { guardedPasswordCheck, type PasswordGuard } from "./sign-in";

export interface ChangeOwnPasswordInput {
  currentPassword: string;
  newPassword: string;
  clientAddress: string;
}

export async function changeOwnPassword(db: Database, guard: PasswordGuard, actor: Actor, input: ChangeOwnPasswordInput): Promise<void> {
  if (input.newPassword === input.currentPassword) {
    throw new AppError("validation", "Choose a password different from the current one.", {
      fieldErrors: [{ path: "newPassword", message: "same as the current password" }],
    });
  }
  const [row] = await db.select().from(staffUsers).where(eq(staffUsers.id, actor.staffId));
  if (!row?.passwordHash) throw new AppError("invalid_state", "This account signs in through single sign-on only.");
  const checked = await guardedPasswordCheck(guard, { clientAddress: input.clientAddress, email: row.email }, async () => {
    const passed = await verifyPassword(row.passwordHash!, input.currentPassword);
    return { passed, value: null };
  });
  if (!checked.ok) {
    throw checked.reason === "busy"
      ? new AppError("unavailable", "The server is busy checking passwords. Try again in a moment.")
      : new AppError("rate_limited", `Too many attempts. Try again in ${Math.ceil(checked.retryAfterSeconds / 60)} min.`, {
          retryAfter: checked.retryAfterSeconds,
        });
  }
  if (!checked.passed) {
    throw new AppError("validation", "That is not your current password.", {
      fieldErrors: [{ path: "currentPassword", message: "wrong password" }],
    });
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await tx
      .update(staffUsers)
      .set({ passwordHash, passwordChangeRequired: false, sessionVersion: sql`${staffUsers.sessionVersion} + 1`, updatedAt: new Date() })
      .where(eq(staffUsers.id, actor.staffId));
    await recordAudit(tx, {
      actor,
      action: "staff.password_change",
      targetType: "staff",
      targetId: actor.staffId,
      before: { email: row.email, passwordChangeRequired: row.passwordChangeRequired },
      after: { email: row.email, passwordChangeRequired: false },
    });
  });
}

/** An admin's reset: a generated password, returned once; the member must change it at next sign-in. */
export async function resetStaffPassword(db: Database, actor: Actor, staffId: string): Promise<{ email: string; password: string }> {
  assertCan(actor, "manage_staff");
  if (staffId === actor.staffId) throw new AppError("invalid_state", "Change your own password on your Account page.");
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(staffUsers).where(eq(staffUsers.id, staffId)).for("update");
    if (!before) throw new AppError("not_found", "No such staff member.");
    await tx
      .update(staffUsers)
      .set({ passwordHash, passwordChangeRequired: true, sessionVersion: sql`${staffUsers.sessionVersion} + 1`, updatedAt: new Date() })
      .where(eq(staffUsers.id, staffId));
    await recordAudit(tx, {
      actor,
      action: "staff.password_reset",
      targetType: "staff",
      targetId: staffId,
      after: { email: before.email, passwordChangeRequired: true },
    });
    return { email: before.email, password };
  });
}

/** Sign-out: every session of the member ends (the session version moves on); audited. */
export async function endStaffSessions(db: Database, staffId: string, requestId?: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [staff] = await tx
      .update(staffUsers)
      .set({ sessionVersion: sql`${staffUsers.sessionVersion} + 1` })
      .where(eq(staffUsers.id, staffId))
      .returning();
    if (!staff) return;
    await recordAudit(tx, {
      actor: { staffId: staff.id, email: staff.email, role: staff.role, via: { kind: "session" }, requestId },
      action: "staff.sign_out",
      targetType: "staff",
      targetId: staff.id,
    });
  });
}
