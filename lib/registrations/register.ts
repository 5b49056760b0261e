// POST /api/v1/registrations: the only way a person enters Gatehouse (fresh-registration
// policy, SPEC §3.2). Every outcome — new phone, phone already registered, phone that lapsed or
// was removed, blocked phone, a code withheld or over budget — answers with the same status and
// body shape, so the endpoint tells nobody whether a number is known or whether a code went out. Every answer has its row: the registration (or the blocked one) and
// the decision that explains it.
import { createHash, randomUUID } from "node:crypto";
import { eq, type SQLWrapper } from "drizzle-orm";
import type { Database } from "@/db/client";
import { registrationSignals, registrations } from "@/db/schema";
import { executeTogether } from "@/lib/execute-together";
import { sealNotificationCode } from "@/lib/notifications/code-secret";
import { notificationsInsert } from "@/lib/notifications/outbox";
import { currentRequestId } from "@/lib/log";
import { loadPhoneHashSalt, phoneHash } from "@/lib/phone-hash";
import { type NormalizedPhone, normalizePhone, type PhoneResult, phonePrefix, requireMobile } from "@/lib/phone/normalize-phone";
import { type PolicyDecisionInput, policyDecisionsInsert } from "@/lib/policy/decisions";
import { loadPolicySnapshot, type PolicySnapshot } from "@/lib/policy/load-policy-snapshot";
import { decideSmsSending, type SmsVerdict } from "@/lib/policy/sms-spending-rules";
import { generateReferralCode, generateVerificationCode, hashVerificationCode, normalizeReferralCode } from "./codes";
import type { RegistrationCounts } from "./count-registration-attempt";
import {
  insertNewRegistration,
  insertNewRegistrations,
  type NewRegistrationRow,
  readRegistrationContext,
  readRegistrationContexts,
  type RegistrationContextRow,
  type RegistrationLookup,
} from "./registration-batch";
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
    const lookup: RegistrationLookup = { phone: phone.e164, hash, referralCode: body.referralCode ? normalizeReferralCode(body.referralCode) : null };
    const attempt: Attempt = { phone, hash, body, context, snapshot, now: context.now ?? new Date() };

    // A phone never seen — the common case, and the one under load — needs no transaction: it
    // is read and written in the batches of the moment, and the live-phone unique index settles
    // a race. If its batch fails or its row meets a unique index, it is decided again below.
    const read = await readRegistrationContext(db, lookup);
    if (!read.blocked && !read.existing_id) {
      const planned = planNewRegistration(read, attempt);
      // A failed batch may be another row's fault; the lone attempt below meets any error of its own.
      const inserted = await insertNewRegistration(db, planned.row).catch(() => false);
      if (inserted) {
        sent = planned.sent;
        return planned.response;
      }
    }
    // A known phone is decided again under a lock on its registration, so concurrent
    // re-registrations and staff actions on it take turns. A new row that meets a unique index
    // (a concurrent first registration of the phone, a referral code taken) is decided again.
    for (let retry = 0; ; retry++) {
      const outcome = await db.transaction(async (tx) => {
        const [locked] = await readRegistrationContexts(tx, [lookup], { lock: true });
        return register(tx, locked!, attempt);
      });
      if (outcome) {
        sent = outcome.sent;
        return outcome.response;
      }
      if (retry >= 3) throw new Error("registerPhone: the phone's registration kept changing under it");
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

interface Outcome {
  response: RegisterResponse;
  sent: boolean;
}

function verificationExpiry(attempt: Attempt): Date {
  return new Date(attempt.now.getTime() + attempt.snapshot.settings.verificationWindowMinutes * 60_000);
}

function answer(registrationId: string, attempt: Attempt): RegisterResponse {
  return { registrationId, status: "pending_verification", verificationExpiresAt: verificationExpiry(attempt).toISOString() };
}

/** Whether a code goes out (SPEC §3.2 rule 7), and the code. */
function decideCode(attempt: Attempt) {
  const { phone, snapshot, context } = attempt;
  const prefix = phonePrefix(phone, snapshot.settings.velocityPrefixDigits);
  const verdict: SmsVerdict = decideSmsSending(snapshot, phone, prefix, context.counts ?? null);
  return { prefix, verdict, code: verdict.send ? generateVerificationCode() : null };
}

/** A new registration of a phone never seen (or lapsed, or removed), and all it writes. */
function planNewRegistration(read: RegistrationContextRow, attempt: Attempt): Outcome & { row: NewRegistrationRow } {
  const { phone, hash, body, context, now } = attempt;
  const { prefix, verdict, code } = decideCode(attempt);
  const id = randomUUID();
  const legacyFields = legacyClaimFields(body);
  const locale = body.locale ?? "en";
  const expiresAt = verificationExpiry(attempt);
  const decisions: NewRegistrationRow["decisions"] = [];
  // Start again at the back: an earlier lapsed or removed registration of this phone gives
  // nothing — this one is new and will queue from its own verification time.
  if (read.previous_id) {
    decisions.push({ kind: "restarted_at_back", reasons: [`previous_${read.previous_status}`], details: { previousRegistrationId: read.previous_id } });
  }
  if (legacyFields.length > 0) decisions.push({ kind: "legacy_claim_ignored", reasons: [], details: { fields: legacyFields } });
  if (!verdict.send) decisions.push({ kind: verdict.kind, reasons: verdict.reasons, details: verdict.details ?? null });
  const row: NewRegistrationRow = {
    id,
    phone: phone.e164,
    phone_hash: hash,
    phone_country: phone.country,
    email: body.email?.toLowerCase() ?? null,
    platform: body.platform,
    locale,
    referral_code: generateReferralCode(),
    // An unknown code is ignored rather than refused: the registration matters more than the bonus.
    referred_by: read.referrer_id,
    legacy_claim: legacyFields.length > 0,
    // A held prefix's registrations stay out of every batch until support looks at them.
    review: !verdict.send && verdict.kind === "sms_withheld" && verdict.reasons.includes("prefix_held") ? "hold" : "clear",
    signup_ip: context.ip,
    created_at: now.toISOString(),
    // Without a code it cannot be verified: it lapses at the end of its window like any other.
    verification_code_hash: code ? hashVerificationCode(id, code) : null,
    verification_expires_at: expiresAt.toISOString(),
    phone_prefix: prefix,
    code_sent: verdict.send,
    decisions,
    // Sealed here: this row reaches the database through a raw insert, not the outbox helper.
    notification: code
      ? { secret: sealNotificationCode(code), params: { expiresAt: expiresAt.toISOString() }, requestId: currentRequestId() ?? null }
      : null,
  };
  return { row, response: answer(id, attempt), sent: verdict.send };
}

/**
 * Decides on what was read, under the lock of the phone's registration, and writes it all in
 * one statement. Null when a new row met a unique index: the caller reads and decides again.
 */
async function register(tx: Database, read: RegistrationContextRow, attempt: Attempt): Promise<Outcome | null> {
  if (!read.blocked && !read.existing_id) {
    const planned = planNewRegistration(read, attempt);
    const inserted = await insertNewRegistrations(tx, [planned.row]);
    return inserted.has(planned.row.id) ? planned : null;
  }
  const { phone, hash, body, context, now } = attempt;
  const { prefix, verdict, code } = decideCode(attempt);
  // Every attempt is recorded, refused ones included: the SMS statistics and prefix holds read it.
  const signal = (registrationId: string | null, codeSent: boolean) =>
    tx.insert(registrationSignals).values({ registrationId, ip: context.ip, phonePrefix: prefix, phoneCountry: phone.country, codeSent, createdAt: now });

  if (read.blocked || read.existing_status === "blocked") {
    // Blocked phones cannot register. They get the ordinary answer (no enumeration, and an
    // SMS-pumping script learns nothing) but no code is ever sent; the refusal is recorded.
    const registrationId = read.blocked ? read.blocked_registration_id : read.existing_id;
    await executeTogether(tx, [
      signal(registrationId, false),
      policyDecisionsInsert(tx, [
        { registrationId, kind: "blocked_phone_refused", reasons: [read.blocked ? "blocked_phone_hash" : "blocked_registration"] },
      ]),
    ]);
    return { response: answer(registrationId ?? stableStandInId(hash), attempt), sent: false };
  }

  // One phone, one place: the same registration, a fresh code; its place does not move. A
  // refused attempt leaves the code it has (if any) as it is.
  const registrationId = read.existing_id!;
  const legacyFields = legacyClaimFields(body);
  const verificationExpiresAt = verificationExpiry(attempt);
  const writes: SQLWrapper[] = [signal(registrationId, verdict.send)];
  const set = {
    ...(code ? { verificationCodeHash: hashVerificationCode(registrationId, code), verificationExpiresAt } : {}),
    ...(legacyFields.length > 0 ? { legacyClaim: true } : {}),
  };
  if (Object.keys(set).length > 0) writes.push(tx.update(registrations).set(set).where(eq(registrations.id, registrationId)));
  const decisions: PolicyDecisionInput[] = [{ registrationId, kind: "duplicate_resumed", details: { status: read.existing_status } }];
  if (legacyFields.length > 0) decisions.push({ registrationId, kind: "legacy_claim_ignored", details: { fields: legacyFields } });
  if (!verdict.send) decisions.push({ registrationId, kind: verdict.kind, reasons: verdict.reasons, details: verdict.details });
  writes.push(policyDecisionsInsert(tx, decisions));
  if (code) {
    writes.push(
      notificationsInsert(tx, [
        {
          kind: "verification_code",
          channel: "sms",
          registrationId,
          recipient: phone.e164,
          locale: read.existing_locale!,
          secret: code,
          params: { expiresAt: verificationExpiresAt.toISOString() },
        },
      ]),
    );
  }
  await executeTogether(tx, writes);
  return { response: answer(registrationId, attempt), sent: verdict.send };
}
