// POST /api/v1/registrations: the only way a person enters Gatehouse (fresh-registration
// policy, SPEC §3.2). Every outcome — new phone, phone already registered, phone that lapsed or
// was removed, blocked phone, a code withheld or over budget — answers with the same status and
// body shape, in the same round trips, so the endpoint tells nobody whether a number is known or
// whether a code went out. Every answer has its row: the registration (or the blocked one) and
// the decision that explains it.
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
import { loadPolicySnapshot, type PolicySnapshot } from "@/lib/policy/load-policy-snapshot";
import { decideSmsSending, type SmsVerdict } from "@/lib/policy/sms-spending-rules";
import { generateReferralCode, generateVerificationCode, hashVerificationCode, normalizeReferralCode } from "./codes";
import type { RegistrationCounts } from "./count-registration-attempt";
import type { RegisterBody, RegisterResponse } from "./registrations.schema";

export interface RegisterContext {
  /** Client address, recorded with the attempt; null when unknown. */
  ip: string | null;
  now?: Date;
  /** normalizePhone(body.phone, body.country), when the caller already parsed it (rate-limit keys). */
  parsedPhone?: PhoneResult;
  /**
   * The attempt's velocity counts and budget use (countRegistrationAttempt). The public endpoint
   * always passes them; without them (tests of other rules) no velocity or budget applies.
   */
  counts?: RegistrationCounts | null;
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
  let sent = false;
  try {
    const phone = requireMobile(context.parsedPhone ?? normalizePhone(body.phone, body.country));
    const [salt, snapshot] = await Promise.all([loadPhoneHashSalt(db), loadPolicySnapshot(db)]);
    const hash = phoneHash(salt, phone.e164);
    const referralCode = body.referralCode ? normalizeReferralCode(body.referralCode) : null;
    const attempt: Attempt = { phone, hash, body, context, snapshot, now: context.now ?? new Date() };
    // Two first registrations of one phone can race; the loser's insert hits the live-phone unique
    // index and a retry finds the winner's row. A referral-code collision also just retries.
    for (let retry = 0; ; retry++) {
      try {
        // A phone never seen (the common case, and the one under load) needs no transaction: its
        // writes are one statement, and the live-phone unique index settles a race. A known phone
        // is decided again under a lock on its registration, so concurrent re-registrations and
        // staff actions on it take turns.
        const unlocked = await readRegistrationContext(db, phone, hash, referralCode, { lock: false });
        const outcome =
          !unlocked.blocked && !unlocked.existing_id
            ? await register(db, unlocked, attempt)
            : await db.transaction(async (tx) => register(tx, await readRegistrationContext(tx, phone, hash, referralCode, { lock: true }), attempt));
        sent = outcome.sent;
        return outcome.response;
      } catch (error) {
        const retryable =
          isUniqueViolation(error, "registrations_live_phone_key") || isUniqueViolation(error, "registrations_referral_code_key");
        if (!retryable || retry >= 3) throw error;
      }
    }
  } finally {
    // The budget counts the codes sent: an attempt that sent none (refused, or failed) gives its share back.
    if (!sent) context.counts?.refundBudgets();
  }
}

/** One attempt, as every step of the decision needs it. */
interface Attempt {
  phone: NormalizedPhone;
  hash: string;
  body: RegisterBody;
  context: RegisterContext;
  snapshot: PolicySnapshot;
  now: Date;
}

/** Everything a registration decides on, read in one statement. */
type RegistrationContextRow = {
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
 * One round trip for every read (the policy comes from the process's snapshot): the block list,
 * the live registration of the phone (locked if asked: a concurrent re-registration of the same phone waits), its previous
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
    select b.phone_hash is not null as blocked, b.registration_id as blocked_registration_id,
           e.id as existing_id, e.status as existing_status, e.locale as existing_locale,
           prev.id as previous_id, prev.status as previous_status,
           ref.id as referrer_id
    from (select 1) one
    left join lateral (select phone_hash, registration_id from blocked_phones where phone_hash = ${hash} limit 1) b on true
    left join lateral (
      select id, status, locale from registrations
      where phone = ${phone.e164} and status not in ('lapsed', 'removed')
      ${options.lock ? sql`for update` : sql``}) e on true
    left join lateral (
      select id, status from registrations
      where phone_hash = ${hash} and status in ('lapsed', 'removed')
      order by created_at desc limit 1) prev on true
    left join lateral (select id from registrations where referral_code = ${referralCode} limit 1) ref on true`);
  return row!;
}

/**
 * Decides on what was read and writes it all in one statement (see executeTogether): with the
 * read, two round trips whatever the outcome — the public endpoint's throughput under load
 * depends on it, and an outcome that took fewer would tell an observer which one it was.
 */
async function register(tx: Database, read: RegistrationContextRow, attempt: Attempt): Promise<{ response: RegisterResponse; sent: boolean }> {
  const { phone, hash, body, context, snapshot, now } = attempt;
  const verificationExpiresAt = new Date(now.getTime() + snapshot.settings.verificationWindowMinutes * 60_000);
  const response = (registrationId: string): RegisterResponse => ({
    registrationId,
    status: "pending_verification",
    verificationExpiresAt: verificationExpiresAt.toISOString(),
  });
  const prefix = phonePrefix(phone, snapshot.settings.velocityPrefixDigits);
  const legacyFields = legacyClaimFields(body);
  const decisions: PolicyDecisionInput[] = [];
  const writes: SQLWrapper[] = [];
  // Every attempt is recorded, refused ones included: the SMS statistics and prefix holds read it.
  const signal = (registrationId: string | null, codeSent: boolean) =>
    tx.insert(registrationSignals).values({ registrationId, ip: context.ip, phonePrefix: prefix, phoneCountry: phone.country, codeSent, createdAt: now });

  if (read.blocked) {
    // Blocked phones cannot register. They get the ordinary answer (no enumeration, and an
    // SMS-pumping script learns nothing) but no code is ever sent; the refusal is recorded.
    writes.push(
      signal(read.blocked_registration_id, false),
      policyDecisionsInsert(tx, [
        { registrationId: read.blocked_registration_id, kind: "blocked_phone_refused", reasons: ["blocked_phone_hash"] },
      ]),
    );
    await executeTogether(tx, writes);
    return { response: response(read.blocked_registration_id ?? stableStandInId(hash)), sent: false };
  }
  if (read.existing_id && read.existing_status === "blocked") {
    writes.push(
      signal(read.existing_id, false),
      policyDecisionsInsert(tx, [{ registrationId: read.existing_id, kind: "blocked_phone_refused", reasons: ["blocked_registration"] }]),
    );
    await executeTogether(tx, writes);
    return { response: response(read.existing_id), sent: false };
  }

  const verdict: SmsVerdict = decideSmsSending(snapshot, phone, prefix, context.counts ?? null);
  const code = verdict.send ? generateVerificationCode() : null;
  const prefixHeld = verdict.send === false && verdict.kind === "sms_withheld" && verdict.reasons.includes("prefix_held");
  let registrationId: string;
  let messageLocale: Locale;
  if (read.existing_id) {
    registrationId = read.existing_id;
    messageLocale = read.existing_locale!;
    // One phone, one place: the same registration, a fresh code; its place does not move. A
    // refused attempt leaves the code it has (if any) as it is.
    const set = {
      ...(code ? { verificationCodeHash: hashVerificationCode(registrationId, code), verificationExpiresAt } : {}),
      ...(legacyFields.length > 0 ? { legacyClaim: true } : {}),
    };
    if (Object.keys(set).length > 0) writes.push(tx.update(registrations).set(set).where(eq(registrations.id, registrationId)));
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
        // A held prefix's registrations stay out of every batch until support looks at them.
        review: prefixHeld ? "hold" : "clear",
        signupIp: context.ip,
        createdAt: now,
        statusChangedAt: now,
        // Without a code it cannot be verified: it lapses at the end of its window like any other.
        verificationCodeHash: code ? hashVerificationCode(registrationId, code) : null,
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
  if (!verdict.send) decisions.push({ registrationId, kind: verdict.kind, reasons: verdict.reasons, details: verdict.details });
  writes.push(signal(registrationId, verdict.send));
  if (decisions.length > 0) writes.push(policyDecisionsInsert(tx, decisions));

  if (code) {
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
  return { response: response(registrationId), sent: verdict.send };
}
