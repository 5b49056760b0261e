import type { Database } from "@/db/client";
import { staffUsers, type StaffUser } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { AppError, isUniqueViolation } from "@/lib/errors";
import { generatePassword, hashPassword } from "./passwords";
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
