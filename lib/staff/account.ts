// What the Account page shows of the signed-in member's own security: never a secret or hash.
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { staffUsers } from "@/db/schema";
import type { Actor } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { getStaffSecurity } from "./security-settings";
import { countRecoveryCodesLeft } from "./two-factor";

export interface AccountSecurity {
  email: string;
  name: string | null;
  hasPassword: boolean;
  passwordChangeRequired: boolean;
  twoFactorEnabledAt: Date | null;
  recoveryCodesLeft: number;
  twoFactorRequired: boolean;
}

export async function getAccountSecurity(db: Database, actor: Actor): Promise<AccountSecurity> {
  const [[row], recoveryCodesLeft, settings] = await Promise.all([
    db.select().from(staffUsers).where(eq(staffUsers.id, actor.staffId)),
    countRecoveryCodesLeft(db, actor.staffId),
    getStaffSecurity(db),
  ]);
  if (!row) throw new AppError("not_found", "No such staff member.");
  return {
    email: row.email,
    name: row.name,
    hasPassword: row.passwordHash !== null,
    passwordChangeRequired: row.passwordChangeRequired,
    twoFactorEnabledAt: row.totpSecret ? row.totpEnabledAt : null,
    recoveryCodesLeft,
    twoFactorRequired: settings.requireTwoFactor,
  };
}
