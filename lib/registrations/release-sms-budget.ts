// Staff release a registration whose verification code was withheld for an SMS budget (SPEC
// §3.2 rule 7): the code is sent now, whatever the budgets say — a person asked support, and
// support decided. Locked, authorized and audited like every staff change to one registration.
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { registrationSignals } from "@/db/schema";
import type { Actor } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { insertNotifications } from "@/lib/notifications/outbox";
import { prefixOfE164 } from "@/lib/phone/normalize-phone";
import { getPolicySettings } from "@/lib/policy/get-policy-settings";
import { actOnRegistration } from "./act-on-registration";
import { generateVerificationCode, hashVerificationCode } from "./codes";

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

export async function releaseSmsBudget(db: Database, actor: Actor, registrationId: string) {
  return actOnRegistration(db, actor, {
    permission: "manage_registration",
    registrationId,
    action: "registration.release_sms_budget",
    // Where a code can still be verified (verify.ts).
    allowed: ["pending_verification", "waiting", "invited", "expired", "admitted"],
    change: async (tx, current) => {
      if (!current.phone) throw new AppError("invalid_state", "This registration's phone has been erased.");
      if (!(await isSmsBudgetWithheld(tx, current.id))) {
        throw new AppError("invalid_state", "No verification code of this registration is withheld for an SMS budget.");
      }
      const policy = await getPolicySettings(tx);
      const now = new Date();
      const code = generateVerificationCode();
      const verificationExpiresAt = new Date(now.getTime() + policy.verificationWindowMinutes * 60_000);
      await insertNotifications(tx, [
        {
          kind: "verification_code",
          channel: "sms",
          registrationId: current.id,
          recipient: current.phone,
          locale: current.locale,
          secret: code,
          params: { expiresAt: verificationExpiresAt.toISOString() },
        },
      ]);
      // A code sent like any other: it counts in the SMS statistics.
      await tx.insert(registrationSignals).values({
        registrationId: current.id,
        phonePrefix: prefixOfE164(current.phone, current.phoneCountry, policy.velocityPrefixDigits),
        phoneCountry: current.phoneCountry,
        codeSent: true,
        createdAt: now,
      });
      return { verificationCodeHash: hashVerificationCode(current.id, code), verificationExpiresAt };
    },
  });
}
