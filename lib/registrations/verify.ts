// POST /api/v1/registrations/{id}/verify: proves the phone, puts a new registration in the
// queue, and hands out the status token. Re-verifying a registration that is already queued (the
// same phone registered again, e.g. on a new device) resumes it exactly where it is.
// A wrong code changes nothing: guesses are bounded per client address and per registration in
// Redis (count-verification-attempt.ts), so one client's guesses never void the code another
// client holds (SPEC §3.2 rule 8).
import { and, eq, isNotNull, lt, ne, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { policySettings, registrationSignals, registrations } from "@/db/schema";
import { randomToken, sha256Hex } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import { executeTogether } from "@/lib/execute-together";
import { admitOnVerification } from "@/lib/members/direct-admission";
import { publicAdmissionEstimate } from "@/lib/stats/forecast-basis";
import { prefixOfE164 } from "@/lib/phone/normalize-phone";
import { recordWebhookEvent } from "@/lib/webhooks/record-webhook-event";
import { verificationCodeMatches } from "./codes";
import { positionOf } from "./position";
import type { VerifyBody, VerifyResponse } from "./registrations.schema";

/** One answer for every failure, so the endpoint reveals nothing about the registration. */
function wrongCode(): AppError {
  const message = "The code is wrong or has expired. Register again to get a new code.";
  return new AppError("validation", message, { fieldErrors: [{ path: "code", message }] });
}

const verifiableStatuses = new Set(["pending_verification", "waiting", "invited", "expired", "admitted"]);

export async function verifyRegistration(
  db: Database,
  registrationId: string,
  body: VerifyBody,
  options: { now?: Date } = {},
): Promise<VerifyResponse> {
  const now = options.now ?? new Date();
  type Verified = { response: Omit<VerifyResponse, "estimatedAdmissionAt">; phoneCountry: string; platform: string };
  const result = await db.transaction(async (tx): Promise<Verified | "wrong"> => {
    const [row] = await tx
      .select({
        registration: registrations,
        referralBoost: policySettings.referralBoost,
        referralBoostCap: policySettings.referralBoostCap,
        prefixDigits: policySettings.velocityPrefixDigits,
      })
      .from(registrations)
      .innerJoin(policySettings, eq(policySettings.id, 1))
      .where(eq(registrations.id, registrationId))
      .for("update", { of: registrations });
    const registration = row?.registration;
    if (
      !row ||
      !registration ||
      !verifiableStatuses.has(registration.status) ||
      !registration.verificationCodeHash ||
      !registration.verificationExpiresAt ||
      registration.verificationExpiresAt <= now
    ) {
      return "wrong";
    }
    if (!verificationCodeMatches(registrationId, body.code, registration.verificationCodeHash)) return "wrong";

    const statusToken = randomToken("gst");
    const firstVerification = registration.status === "pending_verification";
    await executeTogether(tx, [
      tx
        .update(registrations)
        .set({
          verificationCodeHash: null,
          verificationExpiresAt: null,
          statusTokenHash: sha256Hex(statusToken),
          ...(firstVerification ? { status: "waiting", queuedAt: now, verifiedAt: now, statusChangedAt: now } : {}),
        })
        .where(eq(registrations.id, registrationId)),
      // A verified code, for the SMS statistics (conversion per country and prefix).
      ...(registration.phone
        ? [
            tx.insert(registrationSignals).values({
              registrationId,
              kind: "verified" as const,
              phonePrefix: prefixOfE164(registration.phone, registration.phoneCountry, row.prefixDigits),
              phoneCountry: registration.phoneCountry,
              createdAt: now,
            }),
          ]
        : []),
    ]);

    if (firstVerification && registration.referredBy && (await isFirstVerificationOfPhone(tx, registration.phoneHash, registrationId))) {
      // Referral points: verified referrals × referralBoost, capped. Incremented on the row (not
      // recounted) so concurrent verifications of two friends both count.
      await tx
        .update(registrations)
        .set({ referralPoints: sql`least(${registrations.referralPoints} + ${row.referralBoost}, ${row.referralBoostCap})` })
        .where(and(eq(registrations.id, registration.referredBy), lt(registrations.referralPoints, row.referralBoostCap)));
    }

    // In an `open` phase verification admits directly (lib/members/direct-admission).
    const admission = firstVerification ? await admitOnVerification(tx, registrationId, now) : null;
    const status = admission ? "admitted" : firstVerification ? "waiting" : registration.status;
    const position = status === "waiting" ? await positionOf(tx, registrationId) : null;
    if (firstVerification) await recordWebhookEvent(tx, "registration.verified", { registrationId, position }, { occurredAt: now });
    const response = {
      registrationId,
      status,
      position,
      referralCode: registration.referralCode,
      statusToken,
      ...(admission ? { memberToken: admission.memberToken } : {}),
    };
    return { response, phoneCountry: registration.phoneCountry, platform: registration.platform };
  });
  if (result === "wrong") throw wrongCode();
  // After the transaction: the estimate may read through the pool (once a minute per process).
  const estimatedAdmissionAt = await publicAdmissionEstimate(db, { ...result.response, phoneCountry: result.phoneCountry, platform: result.platform });
  return { ...result.response, estimatedAdmissionAt };
}

/** A phone earns its referrer points once, however often it lapses and registers again. */
async function isFirstVerificationOfPhone(tx: Database, hash: string, registrationId: string): Promise<boolean> {
  const [earlier] = await tx
    .select({ id: registrations.id })
    .from(registrations)
    .where(and(eq(registrations.phoneHash, hash), ne(registrations.id, registrationId), isNotNull(registrations.verifiedAt)))
    .limit(1);
  return !earlier;
}
