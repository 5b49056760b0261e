import { eq, isNull, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { staffUsers, type StaffUser } from "@/db/schema";
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
