// Staff release a registration whose verification code was withheld because an SMS budget was
// spent (SPEC §3.2 rule 7): the code is sent now, whatever the budgets say — a person asked
// support, and support decided. Audited in the same transaction.
import { eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { policySettings, registrationSignals, registrations, type RegistrationStatus } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { insertNotifications } from "@/lib/notifications/outbox";
import { prefixOfE164 } from "@/lib/phone/normalize-phone";
import { generateVerificationCode, hashVerificationCode } from "./codes";

/** Statuses in which a code can still be verified (see verify.ts). */
const releasable: readonly RegistrationStatus[] = ["pending_verification", "waiting", "invited", "expired", "admitted"];

/**
 * True when the registration's newest code request was refused for an SMS budget and no code
 * has gone out since: what a release would send.
 */
export async function isSmsBudgetWithheld(db: Database, registrationId: string): Promise<boolean> {
  const [row] = await db.execute<{ withheld: boolean }>(sql`
    select coalesce(
      (select max(created_at) from policy_decisions where registration_id = ${registrationId} and kind = 'sms_budget')
        > coalesce((select max(created_at) from notifications where registration_id = ${registrationId} and kind = 'verification_code'), '-infinity'),
      false) as withheld`);
  return row?.withheld ?? false;
}

export async function releaseSmsBudget(db: Database, actor: Actor, input: { registrationId: string }): Promise<{ verificationExpiresAt: Date }> {
  assertCan(actor, "manage_registration");
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ registration: registrations, windowMinutes: policySettings.verificationWindowMinutes, prefixDigits: policySettings.velocityPrefixDigits })
      .from(registrations)
      .innerJoin(policySettings, eq(policySettings.id, 1))
      .where(eq(registrations.id, input.registrationId))
      .for("update", { of: registrations });
    if (!row) throw new AppError("not_found", "No such registration.");
    const { registration } = row;
    if (!releasable.includes(registration.status) || !registration.phone) {
      throw new AppError("invalid_state", `A registration that is ${registration.status.replaceAll("_", " ")} cannot be sent a code.`);
    }
    if (!(await isSmsBudgetWithheld(tx, registration.id))) {
      throw new AppError("invalid_state", "No verification code of this registration is withheld for an SMS budget.");
    }
    const now = new Date();
    const code = generateVerificationCode();
    const verificationExpiresAt = new Date(now.getTime() + row.windowMinutes * 60_000);
    await tx
      .update(registrations)
      .set({ verificationCodeHash: hashVerificationCode(registration.id, code), verificationExpiresAt })
      .where(eq(registrations.id, registration.id));
    await insertNotifications(tx, [
      {
        kind: "verification_code",
        channel: "sms",
        registrationId: registration.id,
        recipient: registration.phone,
        locale: registration.locale,
        secret: code,
        params: { expiresAt: verificationExpiresAt.toISOString() },
      },
    ]);
    // A code sent like any other: it counts in the SMS statistics.
    await tx.insert(registrationSignals).values({
      registrationId: registration.id,
      phonePrefix: prefixOfE164(registration.phone, registration.phoneCountry, row.prefixDigits),
      phoneCountry: registration.phoneCountry,
      codeSent: true,
      createdAt: now,
    });
    await recordAudit(tx, {
      actor,
      action: "registration.release_sms_budget",
      targetType: "registration",
      targetId: registration.id,
      after: { verificationExpiresAt },
    });
    return { verificationExpiresAt };
  });
}
