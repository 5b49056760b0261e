// POST /api/v1/registrations: the only way a person enters Gatehouse (fresh-registration
// policy, SPEC §3.2). Every outcome — new phone, phone already registered, phone that lapsed or
// was removed, blocked phone — answers with the same status and body shape, so the endpoint
// tells nobody whether a number is known.
import { createHash, randomUUID } from "node:crypto";
import { eq, sql, type SQLWrapper } from "drizzle-orm";
import type { Database } from "@/db/client";
import { registrationSignals, registrations, screeningQueue, type Locale, type Registration } from "@/db/schema";
import { isUniqueViolation } from "@/lib/errors";
import { executeTogether } from "@/lib/execute-together";
import { notificationsInsert } from "@/lib/notifications/outbox";
import { loadPhoneHashSalt, phoneHash } from "@/lib/phone-hash";
import { type NormalizedPhone, normalizePhone, type PhoneResult, phonePrefix, requireMobile } from "@/lib/phone/normalize-phone";
import { type PolicyDecisionInput, policyDecisionsInsert } from "@/lib/policy/decisions";
import { generateReferralCode, generateVerificationCode, hashVerificationCode, normalizeReferralCode } from "./codes";
import type { RegisterBody, RegisterResponse } from "./registrations.schema";

export interface RegisterContext {
  /** Client address, for the velocity screening rule; null when unknown. */
  ip: string | null;
  now?: Date;
  /** normalizePhone(body.phone, body.country), when the caller already parsed it (rate-limit keys). */
  parsedPhone?: PhoneResult;
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

/**
 * Registers a phone, or re-sends a code to the registration it already has. Throws a validation
 * AppError for a number that is not a valid mobile.
 */
export async function registerPhone(
  db: Database,
  body: RegisterBody,
  context: RegisterContext,
): Promise<RegisterResponse> {
  const phone = requireMobile(context.parsedPhone ?? normalizePhone(body.phone, body.country));
  const hash = phoneHash(await loadPhoneHashSalt(db), phone.e164);
  const referralCode = body.referralCode ? normalizeReferralCode(body.referralCode) : null;
  // Two first registrations of one phone can race; the loser's insert hits the live-phone unique
  // index and a retry finds the winner's row. A referral-code collision also just retries.
  for (let attempt = 0; ; attempt++) {
    try {
      // A phone never seen (the common case, and the one under load) needs no transaction: its
      // writes are one statement, and the live-phone unique index settles a race. A known phone
      // is decided again under a lock on its registration, so concurrent re-registrations and
      // staff actions on it take turns.
      const unlocked = await readRegistrationContext(db, phone, hash, referralCode, { lock: false });
      if (!unlocked.blocked && !unlocked.existing_id) return await register(db, unlocked, phone, hash, body, context);
      return await db.transaction(async (tx) =>
        register(tx, await readRegistrationContext(tx, phone, hash, referralCode, { lock: true }), phone, hash, body, context),
      );
    } catch (error) {
      const retryable =
        isUniqueViolation(error, "registrations_live_phone_key") || isUniqueViolation(error, "registrations_referral_code_key");
      if (!retryable || attempt >= 3) throw error;
    }
  }
}

/** Everything a registration decides on, read in one statement. */
type RegistrationContextRow = {
  verification_window_minutes: number;
  velocity_prefix_digits: number;
  blocked_prefixes: string[];
  /** A blocked_phones row exists for this hash; its registration id may be null (erased). */
  blocked: boolean;
  blocked_registration_id: string | null;
  /** The live registration of this phone (locked for the rest of the transaction, if asked). */
  existing_id: string | null;
  existing_status: Registration["status"] | null;
  existing_locale: Locale | null;
  /** The newest lapsed or removed registration of this phone, if any. */
  previous_id: string | null;
  previous_status: Registration["status"] | null;
  referrer_id: string | null;
};

/**
 * One round trip for every read: the policy row, the block list, the live registration of the
 * phone (locked if asked: a concurrent re-registration of the same phone waits), its previous
 * registrations and the referrer. The literal status predicate lets the planner use the
 * partial unique index registrations_live_phone_key.
 */
async function readRegistrationContext(
  db: Database,
  phone: NormalizedPhone,
  hash: string,
  referralCode: string | null,
  options: { lock: boolean },
): Promise<RegistrationContextRow> {
  const [row] = await db.execute<RegistrationContextRow>(sql`
    select p.verification_window_minutes, p.velocity_prefix_digits, p.blocked_prefixes,
           b.phone_hash is not null as blocked, b.registration_id as blocked_registration_id,
           e.id as existing_id, e.status as existing_status, e.locale as existing_locale,
           prev.id as previous_id, prev.status as previous_status,
           ref.id as referrer_id
    from policy_settings p
    left join lateral (select phone_hash, registration_id from blocked_phones where phone_hash = ${hash} limit 1) b on true
    left join lateral (
      select id, status, locale from registrations
      where phone = ${phone.e164} and status not in ('lapsed', 'removed')
      ${options.lock ? sql`for update` : sql``}) e on true
    left join lateral (
      select id, status from registrations
      where phone_hash = ${hash} and status in ('lapsed', 'removed')
      order by created_at desc limit 1) prev on true
    left join lateral (select id from registrations where referral_code = ${referralCode} limit 1) ref on true
    where p.id = 1`);
  if (!row) throw new Error("policy_settings is empty: the database is not migrated");
  return row;
}

/**
 * Decides on what was read and writes it all in one statement (see executeTogether): with the
 * read, two round trips for a new phone — the public endpoint's throughput under load depends
 * on it.
 */
async function register(
  tx: Database,
  read: RegistrationContextRow,
  phone: NormalizedPhone,
  hash: string,
  body: RegisterBody,
  context: RegisterContext,
): Promise<RegisterResponse> {
  const now = context.now ?? new Date();
  const verificationExpiresAt = new Date(now.getTime() + read.verification_window_minutes * 60_000);
  const response = (registrationId: string): RegisterResponse => ({
    registrationId,
    status: "pending_verification",
    verificationExpiresAt: verificationExpiresAt.toISOString(),
  });
  const legacyFields = legacyClaimFields(body);
  const decisions: PolicyDecisionInput[] = [];
  const writes: SQLWrapper[] = [
    // Every attempt counts for velocity, including repeated and refused ones.
    tx.insert(registrationSignals).values({
      registrationId: read.blocked ? read.blocked_registration_id : null,
      ip: context.ip,
      phonePrefix: phonePrefix(phone, read.velocity_prefix_digits),
      createdAt: now,
    }),
  ];

  if (read.blocked) {
    // Blocked phones cannot register. They get the ordinary answer (no enumeration, and an
    // SMS-pumping script learns nothing) but no code is ever sent; the refusal is recorded.
    writes.push(
      policyDecisionsInsert(tx, [
        { registrationId: read.blocked_registration_id, kind: "blocked_phone_refused", reasons: ["blocked_phone_hash"] },
      ]),
    );
    await executeTogether(tx, writes);
    return response(read.blocked_registration_id ?? stableStandInId(hash));
  }

  let registrationId: string;
  let messageLocale: Locale;
  const code = generateVerificationCode();
  if (read.existing_id) {
    registrationId = read.existing_id;
    messageLocale = read.existing_locale!;
    if (read.existing_status === "blocked") {
      writes.push(policyDecisionsInsert(tx, [{ registrationId, kind: "blocked_phone_refused", reasons: ["blocked_registration"] }]));
      await executeTogether(tx, writes);
      return response(registrationId);
    }
    // One phone, one place: the same registration, a fresh code; its place does not move.
    writes.push(
      tx
        .update(registrations)
        .set({
          verificationCodeHash: hashVerificationCode(registrationId, code),
          verificationExpiresAt,
          verificationAttempts: 0,
          ...(legacyFields.length > 0 ? { legacyClaim: true } : {}),
        })
        .where(eq(registrations.id, registrationId)),
    );
    decisions.push({ registrationId, kind: "duplicate_resumed", details: { status: read.existing_status } });
  } else {
    messageLocale = body.locale ?? "en";
    registrationId = randomUUID();
    writes.push(
      tx.insert(registrations).values({
        id: registrationId,
        phone: phone.e164,
        phoneHash: hash,
        phoneCountry: phone.country,
        email: body.email?.toLowerCase() ?? null,
        platform: body.platform,
        locale: messageLocale,
        referralCode: generateReferralCode(),
        // An unknown code is ignored rather than refused: the registration matters more than the bonus.
        referredBy: read.referrer_id,
        legacyClaim: legacyFields.length > 0,
        signupIp: context.ip,
        createdAt: now,
        statusChangedAt: now,
        verificationCodeHash: hashVerificationCode(registrationId, code),
        verificationExpiresAt,
      }),
      tx.insert(screeningQueue).values({ registrationId, enqueuedAt: now }),
    );
    // Start again at the back: an earlier lapsed or removed registration of this phone gives
    // nothing — this one is new and will queue from its own verification time.
    if (read.previous_id) {
      decisions.push({
        registrationId,
        kind: "restarted_at_back",
        reasons: [`previous_${read.previous_status}`],
        details: { previousRegistrationId: read.previous_id },
      });
    }
  }
  if (legacyFields.length > 0) {
    decisions.push({ registrationId, kind: "legacy_claim_ignored", details: { fields: legacyFields } });
  }
  if (decisions.length > 0) writes.push(policyDecisionsInsert(tx, decisions));

  // Numbers in SMS-pumping ranges never get an SMS; the screening worker rejects them.
  if (!read.blocked_prefixes.some((prefix) => phone.e164.startsWith(prefix))) {
    writes.push(
      notificationsInsert(tx, [
        {
          kind: "verification_code",
          channel: "sms",
          registrationId,
          recipient: phone.e164,
          locale: messageLocale,
          secret: code,
          params: { expiresAt: verificationExpiresAt.toISOString() },
        },
      ]),
    );
  }
  await executeTogether(tx, writes);
  return response(registrationId);
}
