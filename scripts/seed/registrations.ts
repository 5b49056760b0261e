// Bulk seeding of registrations for benchmarks and `npm run cli -- seed`: set-based SQL
// (`insert … select … from generate_series`) in chunks, so 10 million rows load in minutes.
//
// The mix (PERF.md): priorities 0/1/5/10 at 90/7/2/1 %, ~94 % waiting, the rest invited,
// admitted, pending_verification, lapsed, expired and removed; queue times spread over six
// months (busiest at launch); unique valid mobiles across seven countries (./phones.ts).
// Every row keeps the schema's invariants:
// - priority comes from referral points, and each point is backed by a *verified* referral
//   (`referred_by`): rows are laid out in blocks of 100 where slots 0–9 are the referrers
//   (10, 5, 5, 1 × 7 points) and slots 10–36 their referees (always verified statuses);
// - invited rows have one live (`sent`) invitation in the seed phase, expired rows an expired
//   one, admitted rows a redeemed one, a `members` row and ledger rows summing to the balance;
// - lapsed and removed rows older than the retention window are erased (phone and e-mail
//   null, `erased_at` set) like the retention sweep would;
// - legacy claims carry their `legacy_claim_ignored` decision, held rows their screening
//   decision. (Screening decisions for every accepted row are not seeded: 10M more rows.)
// The waitlist_counts triggers fire on every chunk insert; the delta rows are compacted at the end.
import { randomBytes } from "node:crypto";
import { drizzle } from "drizzle-orm/postgres-js";
import type postgres from "postgres";
import * as schema from "@/db/schema";
import { compactWaitlistCounts } from "@/lib/registrations/position";
import { seedPhoneSql } from "./phones";

export interface SeedProgress {
  inserted: number;
  total: number;
}

export interface SeedOptions {
  count: number;
  onProgress?: (progress: SeedProgress) => void;
  /** Rows per statement (default 500,000; a multiple of 100 keeps referral blocks whole). */
  chunkSize?: number;
  /** VACUUM (ANALYZE) the touched tables at the end so index-only scans work at once (default true). */
  vacuum?: boolean;
  /**
   * Runs in each chunk's transaction, after its rows: a marker written here commits with them,
   * so an interrupted seed knows exactly how far it got (the bench resumes from there).
   */
  inChunkTransaction?: (session: postgres.Sql, inserted: number) => Promise<unknown>;
  now?: Date;
}

export interface SeedResult {
  inserted: number;
  byStatus: Record<string, number>;
  phaseId: string;
  durationMs: number;
}

const SPAN_DAYS = 180;
const RETENTION_DAYS = 30;

export interface SeedPhase {
  id: string;
  memberInviteQuota: number;
  invitationTtlHours: number;
  /** Admissions are spread from here to now. */
  admissionsFrom: Date;
}

/** The phase invitations and members are seeded in: the active one, or a new active wave. */
export async function ensureSeedPhase(sql: postgres.Sql, now: Date): Promise<SeedPhase> {
  const [active] = await sql<{ id: string; member_invite_quota: number; invitation_ttl_hours: number; activated_at: Date | null }[]>`
    select id, member_invite_quota, invitation_ttl_hours, activated_at from phases where status = 'active'`;
  const thirtyDaysAgo = new Date(now.getTime() - 30 * 86_400_000);
  if (active) {
    const activatedAt = active.activated_at ? new Date(active.activated_at) : null;
    const from = activatedAt && activatedAt > thirtyDaysAgo ? activatedAt : thirtyDaysAgo;
    return { id: active.id, memberInviteQuota: active.member_invite_quota, invitationTtlHours: active.invitation_ttl_hours, admissionsFrom: from };
  }
  const [taken] = await sql`select 1 from phases where slug = 'seed-wave'`;
  const slug = taken ? `seed-wave-${now.getTime().toString(36)}` : "seed-wave";
  const [created] = await sql<{ id: string }[]>`
    insert into phases (slug, name, kind, status, member_invite_quota, invitation_ttl_hours, starts_at, activated_at)
    values (${slug}, 'Seeded wave', 'closed', 'active', 2, 72, ${thirtyDaysAgo.toISOString()}::timestamptz, ${thirtyDaysAgo.toISOString()}::timestamptz)
    returning id`;
  return { id: created!.id, memberInviteQuota: 2, invitationTtlHours: 72, admissionsFrom: thirtyDaysAgo };
}

/** Queue time of run index `i`: monotone (launch-heavy curve over SPAN_DAYS), with a little deterministic jitter. */
function queueTimeSql(i: string): string {
  return `($5::timestamptz - ${SPAN_DAYS} * interval '1 day'
    + ${SPAN_DAYS} * interval '1 day' * power((${i} + ((${i} * 2654435761) % 1000003) / 1000003.0) / $4::float8, 1.5))`;
}

/**
 * A UUIDv7-style id for run index `i`: the millisecond of its queue time, then bits from
 * md5(run key, seed index). Deterministic (a referee computes its referrer's id without a
 * join) and time-ordered (the primary-key index grows at its end instead of splitting pages
 * all over, which is what keeps a 10M seed in minutes).
 */
function seedIdSql(i: string): string {
  const ms = `lpad(to_hex(floor(extract(epoch from ${queueTimeSql(i)}) * 1000)::bigint), 12, '0')`;
  return `overlay(overlay(overlay(md5($11::text || ($1::bigint + ${i})::text) placing ${ms} from 1 for 12) placing '7' from 13 for 1) placing '8' from 17 for 1)::uuid`;
}

/**
 * One chunk: rows [lo, hi) of this run (run-relative index i; global seed index n = n0 + i
 * numbers phones and referral codes). Parameters: $1 n0, $2 lo, $3 hi, $4 run count, $5 now,
 * $6 phone-hash salt, $7 phase id, $8 phase member quota, $9 admissions-from,
 * $10 invitation TTL hours, $11 run key.
 *
 * Keys are generated in (nearly) ascending order wherever the format allows — ids, queue
 * times, referral codes, e-mails, phones per number range — so index inserts append; only
 * the phone hash is inherently random.
 */
export function chunkStatement(): string {
  const phone = seedPhoneSql("n");
  const day = "interval '1 day'";
  return `
with base as materialized (
  select g as i, $1::bigint + g as n, g % 100 as k, (g - g % 100) + 100 <= $4::bigint as full_block,
         random() as r_status, random() as r_when, random() as r_email, random() as r_platform,
         random() as r_legacy, random() as r_hold, random() as r_grant, random() as r_redeem
  from generate_series($2::bigint, $3::bigint - 1) as g
),
shaped as materialized (
  select b.*,
    -- Referral blocks of 100: slot 0 has 10 points, 1–2 have 5, 3–9 have 1; slots 10–36 are their referees.
    case when not full_block then 0 when k = 0 then 10 when k <= 2 then 5 when k <= 9 then 1 else 0 end as referral_points,
    case when not full_block or k < 10 or k > 36 then null
         when k <= 19 then i - k when k <= 24 then i - k + 1 when k <= 29 then i - k + 2 else i - 27 end as referrer_i,
    case
      when r_status < 0.010 then 'invited'
      when r_status < 0.023 then 'admitted'
      when r_status < 0.029 then 'expired'
      when r_status < 0.033 then 'removed'
      -- Unverified rows only outside the referrer/referee slots (63 % of a block): 1.2 % and 1.5 % overall.
      when (k >= 37 or not full_block) and r_status < 0.033 + 0.019 then 'pending_verification'
      when (k >= 37 or not full_block) and r_status < 0.033 + 0.043 then 'lapsed'
      else 'waiting'
    end::registration_status as status,
    ${queueTimeSql("i")} as queue_time,
    ${seedIdSql("i")} as id,
    ${phone.phone} as phone,
    encode(sha256(convert_to($6::text || ':' || ${phone.phone}, 'UTF8')), 'hex') as phone_hash,
    ${phone.country} as phone_country,
    ${phone.locale} as locale
  from base b
),
rows as materialized (
  select t.*, coalesce(t.changed_at, t.created_at) as status_changed_at,
    t.status in ('lapsed', 'removed') and t.changed_at < $5::timestamptz - ${RETENTION_DAYS} * ${day} as erased
  from (
    select s.*,
      case when referrer_i is not null then ${seedIdSql("referrer_i")} end as referred_by,
      case status
        when 'pending_verification' then $5::timestamptz - r_when * interval '25 minutes'
        else queue_time - r_when * interval '2 minutes'
      end as created_at,
      case status
        when 'pending_verification' then null
        when 'lapsed' then least(queue_time + interval '30 minutes', $5::timestamptz)
        when 'removed' then queue_time + r_when * ($5::timestamptz - queue_time)
        -- invited: within the TTL; expired: the expiry moment; admitted: since the phase opened.
        when 'invited' then greatest(queue_time, $5::timestamptz - ($10::int - 1) * interval '1 hour')
          + r_when * ($5::timestamptz - greatest(queue_time, $5::timestamptz - ($10::int - 1) * interval '1 hour'))
        when 'expired' then least(greatest(queue_time + ($10::int + 1) * interval '1 hour', $5::timestamptz - 20 * ${day})
          + r_when * 17 * ${day}, $5::timestamptz - interval '1 hour')
        when 'admitted' then greatest(queue_time, $9::timestamptz) + r_when * ($5::timestamptz - greatest(queue_time, $9::timestamptz))
        else queue_time
      end as changed_at
    from shaped s
  ) t
),
new_registrations as (
  insert into registrations (id, phone, phone_hash, phone_country, email, platform, locale, status, referral_points,
    queued_at, created_at, verified_at, status_changed_at, referral_code, referred_by, legacy_claim, review, status_reason,
    verification_code_hash, verification_expires_at, erased_at)
  select id,
    case when erased then null else phone end,
    phone_hash,
    phone_country,
    case when erased or r_email >= 0.35 then null
         else 'user' || n || '@example.' || (array['com', 'org', 'net'])[1 + n % 3] end,
    (case when r_platform < 0.34 then 'ios' else 'android' end)::platform,
    locale, status, referral_points,
    case when status in ('pending_verification', 'lapsed') then null else queue_time end,
    created_at,
    case when status in ('pending_verification', 'lapsed') then null else queue_time end,
    status_changed_at,
    -- 'S' + the seed index in a letter-only hex alphabet: unique, ascending, never clashing with app codes' shape.
    'S' || translate(lpad(to_hex(n), 9, '0'), '0123456789abcdef', 'ABCDEFGHJKMNPQRS'),
    referred_by,
    r_legacy < 0.03,
    (case when status = 'waiting' and r_hold < 0.003 then 'hold' else 'clear' end)::review,
    case when status = 'removed' then (array['duplicate account', 'spam reports', 'asked to leave'])[1 + n % 3] end,
    case when status = 'pending_verification' then encode(sha256(uuid_send(gen_random_uuid())), 'hex') end,
    case when status = 'pending_verification' then created_at + interval '30 minutes' end,
    case when erased then changed_at + ${RETENTION_DAYS} * ${day} end
  from rows
  -- Every other index key of a chunk is a narrow ascending range (cheap in any order); the
  -- phone hash is random, so inserting in its order walks that index once instead of at random.
  order by phone_hash
),
invited_rows as materialized (
  select id as registration_id, status, changed_at, gen_random_uuid() as invitation_id, gen_random_uuid() as member_id,
    r_grant < 0.10 as granted,
    -- Invitation times: live ones were sent within the TTL, expired ones one TTL before expiry,
    -- redeemed ones up to two days before admission (never before the queue time).
    case status when 'expired' then changed_at - $10::int * interval '1 hour'
                when 'admitted' then greatest(queue_time, changed_at - r_redeem * interval '48 hours')
                else changed_at end as invited_at
  from rows where status in ('invited', 'expired', 'admitted')
),
new_invitations as (
  insert into invitations (id, registration_id, phase_id, source, status, code_hash, expires_at, sent_at, redeemed_at, created_at)
  select invitation_id, registration_id, $7::uuid, 'batch'::invitation_source,
    (case status when 'invited' then 'sent' when 'expired' then 'expired' else 'redeemed' end)::invitation_status,
    encode(sha256(uuid_send(gen_random_uuid())), 'hex'),
    invited_at + $10::int * interval '1 hour', invited_at + interval '5 seconds',
    case when status = 'admitted' then changed_at end, invited_at
  from invited_rows
),
new_members as (
  insert into members (id, registration_id, phase_id, admitted_at, invite_quota, token_hash)
  select member_id, registration_id, $7::uuid, changed_at, $8::int + case when granted then 3 else 0 end,
    encode(sha256(uuid_send(gen_random_uuid())), 'hex')
  from invited_rows where status = 'admitted'
),
new_ledger as (
  insert into quota_ledger (member_id, delta, reason, actor, created_at)
  select member_id, $8::int, 'phase_topup'::quota_reason, 'system', changed_at from invited_rows where status = 'admitted' and $8::int > 0
  union all
  select member_id, 3, 'grant'::quota_reason, 'system', changed_at + interval '1 day' from invited_rows where status = 'admitted' and granted
),
new_decisions as (
  insert into policy_decisions (registration_id, kind, outcome, reasons, details, created_at)
  select id, 'legacy_claim_ignored'::policy_decision_kind, null::screening_outcome, '{}'::text[], jsonb_build_object('legacyAccountId', 'legacy-' || n), created_at
  from rows where r_legacy < 0.03
  union all
  select id, 'screening'::policy_decision_kind, 'hold'::screening_outcome, array['velocity_prefix'], null, created_at + interval '1 minute'
  from rows where status = 'waiting' and r_hold < 0.003
)
select status::text, count(*)::int as n from rows group by status`;
}

/** Sum of the bucket counts and the number of waiting rows: equal when the counts are exact. */
export async function waitlistCountCheck(sql: postgres.Sql): Promise<{ counted: number; waiting: number }> {
  const [row] = await sql<{ counted: string; waiting: string }[]>`
    select (select coalesce(sum(n), 0) from waitlist_counts)::text as counted,
           (select count(*) from registrations where status = 'waiting')::text as waiting`;
  return { counted: Number(row!.counted), waiting: Number(row!.waiting) };
}

export async function seedRegistrations(sql: postgres.Sql, options: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const { count } = options;
  if (!Number.isInteger(count) || count < 1) throw new RangeError("count must be a positive integer");
  const chunkSize = options.chunkSize ?? 500_000;
  if (chunkSize % 100 !== 0) throw new RangeError("chunkSize must be a multiple of 100");
  const now = options.now ?? new Date();

  const [salt] = await sql<{ phone_hash_salt: string }[]>`select phone_hash_salt from instance_secrets where id = 1`;
  if (!salt) throw new Error("instance_secrets has no row: run the migrations first");
  const phase = await ensureSeedPhase(sql, now);
  // Seed indexes continue after every row already there, so repeated runs never collide.
  const [existing] = await sql<{ n: string }[]>`select count(*)::text as n from registrations`;
  const n0 = Number(existing!.n);

  const statement = chunkStatement();
  const runKey = randomBytes(8).toString("hex");
  const byStatus: Record<string, number> = {};
  // Reserved connection: session settings apply to every chunk. Bulk data that can be
  // re-seeded does not need each commit flushed before the next begins.
  const session = await sql.reserve();
  try {
    await session`set synchronous_commit = off`;
    await session`set work_mem = '512MB'`;
    // Fewer WAL bytes for the full-page images the random phone-hash index inserts cause
    // (superusers only; elsewhere the server's setting stays).
    await session`set wal_compression = lz4`.catch(() => {});
    // The chunk plan's row estimates are huge (generate_series with parameters): JIT would spend
    // seconds compiling each chunk for nothing.
    await session`set jit = off`;
    for (let lo = 0; lo < count; lo += chunkSize) {
      const hi = Math.min(lo + chunkSize, count);
      await session`begin`;
      const rows = await session.unsafe<{ status: string; n: number }[]>(statement, [
        n0,
        lo,
        hi,
        count,
        now.toISOString(),
        salt.phone_hash_salt,
        phase.id,
        phase.memberInviteQuota,
        phase.admissionsFrom.toISOString(),
        phase.invitationTtlHours,
        runKey,
      ]);
      await options.inChunkTransaction?.(session, hi);
      await session`commit`;
      for (const row of rows) byStatus[row.status] = (byStatus[row.status] ?? 0) + Number(row.n);
      options.onProgress?.({ inserted: hi, total: count });
    }
  } catch (error) {
    await session`rollback`.catch(() => {});
    throw error;
  } finally {
    session.release();
  }

  // Fold the per-chunk delta rows into one row per (priority, bucket), as the compaction job does.
  await compactWaitlistCounts(drizzle(sql, { schema, casing: "snake_case" }));
  if (options.vacuum ?? true) {
    await sql`vacuum (analyze) registrations`;
    await sql`vacuum (analyze) invitations`;
    await sql`vacuum (analyze) members`;
    await sql`vacuum (analyze) waitlist_counts`;
  }
  return { inserted: count, byStatus, phaseId: phase.id, durationMs: performance.now() - started };
}
