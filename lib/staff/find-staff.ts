import { eq, isNull, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { staffSecuritySettings, staffUsers, type StaffUser } from "@/db/schema";
import { generatePassword, hashPassword, verifyPassword } from "./passwords";

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

/** What a signed-in member must do before anything else, if anything. */
export type PendingAccountStep = "password_change" | "two_factor_enrolment";

/**
 * A session's member as the database has them now (null: unknown or disabled), with the step
 * the account still owes: a password an admin reset, or a second factor the console requires.
 */
export async function staffSessionState(db: Database, staffId: string): Promise<{ staff: StaffUser; pending: PendingAccountStep | null } | null> {
  const [row] = await db
    .select({ staff: staffUsers, requireTwoFactor: staffSecuritySettings.requireTwoFactor })
    .from(staffUsers)
    .leftJoin(staffSecuritySettings, eq(staffSecuritySettings.id, 1))
    .where(eq(staffUsers.id, staffId))
    .limit(1);
  if (!row || row.staff.disabledAt) return null;
  const pending: PendingAccountStep | null = row.staff.passwordChangeRequired
    ? "password_change"
    : row.requireTwoFactor && !row.staff.totpSecret
      ? "two_factor_enrolment"
      : null;
  return { staff: row.staff, pending };
}

/** The session version of an enabled member (null: unknown or disabled): a session of another version has ended. */
export async function currentSessionVersion(db: Database, staffId: string): Promise<number | null> {
  const [row] = await db
    .select({ version: staffUsers.sessionVersion, disabledAt: staffUsers.disabledAt })
    .from(staffUsers)
    .where(eq(staffUsers.id, staffId))
    .limit(1);
  return row && !row.disabledAt ? row.version : null;
}

// Verifying against a real hash when the e-mail is unknown keeps the timing of a wrong e-mail
// and a wrong password alike.
let dummyHash: Promise<string> | undefined;

/**
 * The staff member for these credentials, or null (unknown, disabled, wrong password). Unguarded:
 * sign-in and password changes go through lib/staff/sign-in.ts (slots and throttle).
 */
export async function verifyStaffCredentials(db: Database, email: string, password: string): Promise<StaffUser | null> {
  const user = await findStaffByEmail(db, email);
  if (!user || !user.passwordHash || user.disabledAt) {
    dummyHash ??= hashPassword(generatePassword());
    await verifyPassword(await dummyHash, password);
    return null;
  }
  return (await verifyPassword(user.passwordHash, password)) ? user : null;
}

export async function countActiveStaff(db: Database): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(staffUsers)
    .where(isNull(staffUsers.disabledAt));
  return row?.n ?? 0;
}
