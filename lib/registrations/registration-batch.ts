// Registration under load: the reads and writes of concurrent registrations go to PostgreSQL
// together. One statement per batch instead of one per registration — the commit, the WAL
// flush, the statement triggers and the round trip are paid once for the whole batch — which
// is what lets two cores take 1,000 registrations a second (SPEC §7). Each statement's text is
// fixed (the batch travels as one jsonb parameter), so it is prepared once per connection.
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import type { Locale, PolicyDecisionKind, Registration } from "@/db/schema";
import { createBatcher } from "@/lib/batcher";

/** What one registration reads before it decides. */
export interface RegistrationLookup {
  phone: string;
  hash: string;
  referralCode: string | null;
}

/** Everything a registration decides on, read in one statement. */
export type RegistrationContextRow = {
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

/** A new registration with everything written beside it, as the batched insert takes it. */
export interface NewRegistrationRow {
  id: string;
  phone: string;
  phone_hash: string;
  phone_country: string;
  email: string | null;
  platform: Registration["platform"];
  locale: Locale;
  referral_code: string;
  referred_by: string | null;
  legacy_claim: boolean;
  review: Registration["review"];
  signup_ip: string | null;
  created_at: string;
  verification_code_hash: string | null;
  verification_expires_at: string;
  /** registration_signals: the attempt, as the SMS statistics read it. */
  phone_prefix: string;
  code_sent: boolean;
  decisions: { kind: PolicyDecisionKind; reasons: string[]; details: Record<string, unknown> | null }[];
  /** The verification SMS, when a code is sent. */
  /** `requestId`: the registering request's (rows of several requests share one statement). */
  notification: { secret: string; params: Record<string, unknown>; requestId?: string | null } | null;
}

/**
 * The block list, the live registration of the phone (locked if asked: a concurrent
 * re-registration of the same phone waits), its previous registrations and the referrer. The
 * literal status predicate lets the planner use the partial unique index
 * registrations_live_phone_key.
 */
export async function readRegistrationContexts(
  db: Database,
  lookups: RegistrationLookup[],
  options: { lock: boolean },
): Promise<RegistrationContextRow[]> {
  const rows = await db.execute<RegistrationContextRow & { i: number }>(sql`
    select input.i, b.phone_hash is not null as blocked, b.registration_id as blocked_registration_id,
           e.id as existing_id, e.status as existing_status, e.locale as existing_locale,
           prev.id as previous_id, prev.status as previous_status,
           ref.id as referrer_id
    from jsonb_to_recordset(${JSON.stringify(lookups.map((l, i) => ({ i, ...l })))}::jsonb)
           as input(i int, phone text, hash text, "referralCode" text)
    left join lateral (select phone_hash, registration_id from blocked_phones where phone_hash = input.hash limit 1) b on true
    left join lateral (
      select id, status, locale from registrations
      where phone = input.phone and status not in ('lapsed', 'removed')
      ${options.lock ? sql`for update` : sql``}) e on true
    left join lateral (
      select id, status from registrations
      where phone_hash = input.hash and status in ('lapsed', 'removed')
      order by created_at desc limit 1) prev on true
    left join lateral (select id from registrations where referral_code = input."referralCode" limit 1) ref on true
    order by input.i`);
  return rows.map(({ i: _i, ...row }) => row);
}

/**
 * Inserts new registrations with their screening entry, attempt signal, decisions and
 * verification SMS, in one statement. A row that meets a unique index — the phone registered
 * meanwhile by a concurrent request, or a referral code taken — is skipped with all it carries
 * (ON CONFLICT DO NOTHING, dependents joined on what was inserted); its id is missing from the
 * answer and its caller decides again.
 */
export async function insertNewRegistrations(db: Database, rows: NewRegistrationRow[]): Promise<Set<string>> {
  const inserted = await db.execute<{ id: string }>(sql`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(
        id uuid, phone text, phone_hash text, phone_country text, email text, platform platform, locale locale,
        referral_code text, referred_by uuid, legacy_claim boolean, review review, signup_ip text,
        created_at timestamptz, verification_code_hash text, verification_expires_at timestamptz,
        phone_prefix text, code_sent boolean, decisions jsonb, notification jsonb)
    ),
    inserted as (
      insert into registrations (id, phone, phone_hash, phone_country, email, platform, locale, referral_code, referred_by,
        legacy_claim, review, signup_ip, created_at, status_changed_at, verification_code_hash, verification_expires_at)
      select id, phone, phone_hash, phone_country, email, platform, locale, referral_code, referred_by,
        legacy_claim, review, signup_ip, created_at, created_at, verification_code_hash, verification_expires_at
      from input
      on conflict do nothing
      returning id
    ),
    kept as (select input.* from input join inserted using (id)),
    screening as (insert into screening_queue (registration_id, enqueued_at) select id, created_at from kept),
    signals as (
      insert into registration_signals (registration_id, ip, phone_prefix, phone_country, code_sent, created_at)
      select id, signup_ip, phone_prefix, phone_country, code_sent, created_at from kept
    ),
    decisions as (
      insert into policy_decisions (registration_id, kind, reasons, details)
      select kept.id, d.kind, d.reasons, d.details
      from kept cross join lateral jsonb_to_recordset(kept.decisions) as d(kind policy_decision_kind, reasons text[], details jsonb)
    ),
    outbox as (
      insert into notifications (kind, channel, registration_id, recipient, locale, secret, params, request_id)
      select 'verification_code', 'sms', id, phone, locale, notification->>'secret', notification->'params', notification->>'requestId'
      from kept where notification is not null
    )
    select id from inserted`);
  return new Set(inserted.map((row) => row.id));
}

// One batcher per database handle: a batch's statement runs on that handle's pool.
const readers = new WeakMap<Database, (lookup: RegistrationLookup) => Promise<RegistrationContextRow>>();
const writers = new WeakMap<Database, (row: NewRegistrationRow) => Promise<boolean>>();

// Up to 100 per statement, 3 statements in flight: enough to keep a 10-connection pool's share
// busy while the next batch fills; more in flight would only make each batch smaller.
const BATCH = { maxSize: 100, maxInFlight: 3 };

/** readRegistrationContexts for one phone, batched with the other registrations of the moment. */
export function readRegistrationContext(db: Database, lookup: RegistrationLookup): Promise<RegistrationContextRow> {
  let read = readers.get(db);
  if (!read) {
    read = createBatcher((lookups: RegistrationLookup[]) => readRegistrationContexts(db, lookups, { lock: false }), BATCH);
    readers.set(db, read);
  }
  return read(lookup);
}

/** insertNewRegistrations for one row, batched; false when the row met a unique index. */
export function insertNewRegistration(db: Database, row: NewRegistrationRow): Promise<boolean> {
  let write = writers.get(db);
  if (!write) {
    write = createBatcher(async (rows: NewRegistrationRow[]) => {
      const inserted = await insertNewRegistrations(db, rows);
      return rows.map((r) => inserted.has(r.id));
    }, BATCH);
    writers.set(db, write);
  }
  return write(row);
}
