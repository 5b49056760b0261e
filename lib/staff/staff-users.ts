import { and, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { staffUsers, type StaffRole, type StaffUser } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { AppError, isUniqueViolation } from "@/lib/errors";
import { generatePassword, hashPassword, verifyPassword } from "./passwords";
import { createStaffInput, type CreateStaffInput } from "./staff.schema";

/**
 * Creates a staff member. `actor` is null for the CLI and first-start bootstrap (recorded as
 * the system); otherwise only admins may. Returns the password when it was generated.
 */
export async function createStaffUser(
  db: Database,
  actor: Actor | null,
  input: CreateStaffInput,
): Promise<{ user: StaffUser; generatedPassword: string | null }> {
  if (actor) assertCan(actor, "manage_staff");
  const parsed = createStaffInput.parse(input);
  const generatedPassword = parsed.password ? null : generatePassword();
  const passwordHash = await hashPassword(parsed.password ?? generatedPassword!);
  try {
    return await db.transaction(async (tx) => {
      const [user] = await tx
        .insert(staffUsers)
        .values({ email: parsed.email, role: parsed.role, name: parsed.name ?? null, passwordHash })
        .returning();
      await recordAudit(tx, {
        actor,
        action: "staff.create",
        targetType: "staff",
        targetId: user!.id,
        after: { email: user!.email, role: user!.role },
      });
      return { user: user!, generatedPassword };
    });
  } catch (error) {
    if (isUniqueViolation(error, "staff_users_email_key")) {
      throw new AppError("conflict", `A staff member with e-mail ${parsed.email} already exists.`, {
        fieldErrors: [{ path: "email", message: "already in use" }],
      });
    }
    throw error;
  }
}

export async function findStaffByEmail(db: Database, email: string): Promise<StaffUser | undefined> {
  const [user] = await db
    .select()
    .from(staffUsers)
    .where(sql`lower(${staffUsers.email}) = ${email.toLowerCase()}`)
    .limit(1);
  return user;
}

export async function getStaffById(db: Database, id: string): Promise<StaffUser | undefined> {
  const [user] = await db.select().from(staffUsers).where(eq(staffUsers.id, id)).limit(1);
  return user;
}

// Verifying against a real hash when the e-mail is unknown keeps the timing of a wrong e-mail
// and a wrong password alike.
let dummyHash: Promise<string> | undefined;

/** The staff member for these credentials, or null (unknown, disabled, wrong password). */
export async function verifyStaffCredentials(db: Database, email: string, password: string): Promise<StaffUser | null> {
  const user = await findStaffByEmail(db, email);
  if (!user || !user.passwordHash || user.disabledAt) {
    dummyHash ??= hashPassword(generatePassword());
    await verifyPassword(await dummyHash, password);
    return null;
  }
  if (!(await verifyPassword(user.passwordHash, password))) return null;
  await db.update(staffUsers).set({ lastSignInAt: new Date() }).where(eq(staffUsers.id, user.id));
  return user;
}

export async function countActiveStaff(db: Database): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(staffUsers)
    .where(isNull(staffUsers.disabledAt));
  return row?.n ?? 0;
}

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
    const [after] = await tx.update(staffUsers).set({ role, updatedAt: new Date() }).where(eq(staffUsers.id, staffId)).returning();
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
