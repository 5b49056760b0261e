// POST /api/v1/registrations: the only way a person enters Gatehouse (fresh-registration
// policy, SPEC §3.2). Every outcome — new phone, phone already registered, phone that lapsed or
// was removed, blocked phone — answers with the same status and body shape, so the endpoint
// tells nobody whether a number is known.
import { createHash, randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import {
  blockedPhones,
  instanceSecrets,
  policySettings,
  registrationSignals,
  registrations,
  screeningQueue,
  type Locale,
  type PolicySettings,
} from "@/db/schema";
import { isUniqueViolation } from "@/lib/errors";
import { insertNotifications } from "@/lib/notifications/outbox";
import { phoneHash } from "@/lib/phone-hash";
import { type NormalizedPhone, phonePrefix, requireMobilePhone } from "@/lib/phone/normalize-phone";
import { type PolicyDecisionInput, recordPolicyDecisions } from "@/lib/policy/decisions";
import { generateReferralCode, generateVerificationCode, hashVerificationCode, normalizeReferralCode } from "./codes";
import type { RegisterBody, RegisterResponse } from "./registrations.schema";

export interface RegisterContext {
  /** Client address, for the velocity screening rule; null when unknown. */
  ip: string | null;
  now?: Date;
}

/** Body keys that claim an account of the old service (legacyAccountId, legacy_user, …). */
function legacyClaimFields(body: RegisterBody): string[] {
  return Object.entries(body as Record<string, unknown>)
    .filter(([key, value]) => /legacy/i.test(key) && value !== undefined && value !== null && value !== "")
    // Recorded in a jsonb decision: keep key names printable and short.
    .map(([key]) => key.replace(/[^\w.-]/g, "").slice(0, 64));
}

/** A stable stand-in id for a phone whose blocked registration row is gone. */
function stableStandInId(hash: string): string {
  const hex = createHash("sha256").update(`stand-in:${hash}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function blockedPrefixMatch(settings: PolicySettings, e164: string): string | undefined {
  return settings.blockedPrefixes.find((prefix) => e164.startsWith(prefix));
}

/**
 * Registers a phone, or re-sends a code to the registration it already has. Throws a validation
 * AppError for a number that is not a valid mobile.
 */
export async function registerPhone(
  db: Database,
  body: RegisterBody,
  context: RegisterContext,
): Promise<RegisterResponse> {
  const phone = requireMobilePhone(body.phone, body.country);
  // Two first registrations of one phone can race; the loser's insert hits the live-phone unique
  // index and a retry finds the winner's row. A referral-code collision also just retries.
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction((tx) => registerInTransaction(tx, phone, body, context));
    } catch (error) {
      const retryable =
        isUniqueViolation(error, "registrations_live_phone_key") || isUniqueViolation(error, "registrations_referral_code_key");
      if (!retryable || attempt >= 3) throw error;
    }
  }
}

async function registerInTransaction(
  tx: Database,
  phone: NormalizedPhone,
  body: RegisterBody,
  context: RegisterContext,
): Promise<RegisterResponse> {
  const now = context.now ?? new Date();
  const [loaded] = await tx
    .select({ salt: instanceSecrets.phoneHashSalt, settings: policySettings })
    .from(instanceSecrets)
    .innerJoin(policySettings, eq(policySettings.id, 1))
    .where(eq(instanceSecrets.id, 1));
  if (!loaded) throw new Error("policy_settings / instance_secrets are empty: the database is not migrated");
  const { salt, settings } = loaded;
  const hash = phoneHash(salt, phone.e164);
  const verificationExpiresAt = new Date(now.getTime() + settings.verificationWindowMinutes * 60_000);
  const response = (registrationId: string): RegisterResponse => ({
    registrationId,
    status: "pending_verification",
    verificationExpiresAt: verificationExpiresAt.toISOString(),
  });
  const legacyFields = legacyClaimFields(body);
  const decisions: PolicyDecisionInput[] = [];

  const [blocked] = await tx.select().from(blockedPhones).where(eq(blockedPhones.phoneHash, hash)).limit(1);
  // Every attempt counts for velocity, including repeated and refused ones.
  await tx.insert(registrationSignals).values({
    registrationId: blocked?.registrationId ?? null,
    ip: context.ip,
    phonePrefix: phonePrefix(phone, settings.velocityPrefixDigits),
    createdAt: now,
  });

  if (blocked) {
    // Blocked phones cannot register. They get the ordinary answer (no enumeration, and an
    // SMS-pumping script learns nothing) but no code is ever sent; the refusal is recorded.
    await recordPolicyDecisions(tx, [
      { registrationId: blocked.registrationId, kind: "blocked_phone_refused", reasons: ["blocked_phone_hash"] },
    ]);
    return response(blocked.registrationId ?? stableStandInId(hash));
  }

  const [existing] = await tx
    .select({ id: registrations.id, status: registrations.status, locale: registrations.locale })
    .from(registrations)
    // Literal predicate, so the planner can use the partial unique index registrations_live_phone_key.
    .where(and(eq(registrations.phone, phone.e164), sql`${registrations.status} not in ('lapsed', 'removed')`))
    .for("update");

  let registrationId: string;
  let messageLocale: Locale;
  const code = generateVerificationCode();
  if (existing) {
    registrationId = existing.id;
    messageLocale = existing.locale;
    if (existing.status === "blocked") {
      await recordPolicyDecisions(tx, [{ registrationId, kind: "blocked_phone_refused", reasons: ["blocked_registration"] }]);
      return response(registrationId);
    }
    // One phone, one place: the same registration, a fresh code; its place does not move.
    await tx
      .update(registrations)
      .set({
        verificationCodeHash: hashVerificationCode(registrationId, code),
        verificationExpiresAt,
        verificationAttempts: 0,
        ...(legacyFields.length > 0 ? { legacyClaim: true } : {}),
      })
      .where(eq(registrations.id, registrationId));
    decisions.push({ registrationId, kind: "duplicate_resumed", details: { status: existing.status } });
  } else {
    messageLocale = body.locale ?? "en";
    const referrerId = body.referralCode ? await findReferrer(tx, body.referralCode) : null;
    registrationId = randomUUID();
    await tx.insert(registrations).values({
      id: registrationId,
      phone: phone.e164,
      phoneHash: hash,
      phoneCountry: phone.country,
      email: body.email?.toLowerCase() ?? null,
      platform: body.platform,
      locale: messageLocale,
      referralCode: generateReferralCode(),
      referredBy: referrerId,
      legacyClaim: legacyFields.length > 0,
      signupIp: context.ip,
      createdAt: now,
      statusChangedAt: now,
      verificationCodeHash: hashVerificationCode(registrationId, code),
      verificationExpiresAt,
    });
    await tx.insert(screeningQueue).values({ registrationId, enqueuedAt: now });
    // Start again at the back: an earlier lapsed or removed registration of this phone gives
    // nothing — this one is new and will queue from its own verification time.
    const [previous] = await tx
      .select({ id: registrations.id, status: registrations.status })
      .from(registrations)
      .where(and(eq(registrations.phoneHash, hash), inArray(registrations.status, ["lapsed", "removed"])))
      .orderBy(sql`${registrations.createdAt} desc`)
      .limit(1);
    if (previous) {
      decisions.push({
        registrationId,
        kind: "restarted_at_back",
        reasons: [`previous_${previous.status}`],
        details: { previousRegistrationId: previous.id },
      });
    }
  }
  if (legacyFields.length > 0) {
    decisions.push({ registrationId, kind: "legacy_claim_ignored", details: { fields: legacyFields } });
  }
  await recordPolicyDecisions(tx, decisions);

  // Numbers in SMS-pumping ranges never get an SMS; the screening worker rejects them.
  if (!blockedPrefixMatch(settings, phone.e164)) {
    await insertNotifications(tx, [
      {
        kind: "verification_code",
        channel: "sms",
        registrationId,
        recipient: phone.e164,
        locale: messageLocale,
        secret: code,
        params: { expiresAt: verificationExpiresAt.toISOString() },
      },
    ]);
  }
  return response(registrationId);
}

async function findReferrer(tx: Database, referralCode: string): Promise<string | null> {
  const [row] = await tx
    .select({ id: registrations.id })
    .from(registrations)
    .where(eq(registrations.referralCode, normalizeReferralCode(referralCode)))
    .limit(1);
  // An unknown code is ignored rather than refused: the registration matters more than the bonus.
  return row?.id ?? null;
}
