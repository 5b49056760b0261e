// The policy's scheduled sweeps (SPEC §3.2 rule 5). Set-based, in chunks (SKIP LOCKED, so two
// workers never fight over rows and a long backlog never holds one huge transaction), each
// chunk with its recorded decisions in one statement.
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";

function countOf(rows: unknown): number {
  const row = (rows as { n: number | string }[])[0];
  return row ? Number(row.n) : 0;
}

/** Runs chunk statements until one handles fewer rows than a full chunk; returns the total. */
async function inChunks(chunk: number, runChunk: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await runChunk();
    total += n;
    if (n < chunk) return total;
  }
}

/**
 * pending_verification past its verification deadline → lapsed (terminal). The phone may
 * register again, as a new registration at the back.
 */
export async function lapseUnverified(db: Database, now: Date = new Date(), options: { chunk?: number } = {}): Promise<number> {
  const chunk = options.chunk ?? 5_000;
  // Raw SQL parameters are sent as text: pass the instant as ISO 8601.
  const at = now.toISOString();
  return inChunks(chunk, async () => {
    const rows = await db.execute(sql`
      with due as (
        select id from registrations
        where status = 'pending_verification' and verification_expires_at < ${at}::timestamptz
        order by verification_expires_at
        limit ${chunk}
        for update skip locked),
      lapsed as (
        update registrations r
        set status = 'lapsed', status_changed_at = ${at}::timestamptz, verification_code_hash = null
        from due where r.id = due.id
        returning r.id),
      decided as (
        insert into policy_decisions (registration_id, kind, reasons)
        select id, 'lapsed', array['verification_window_passed'] from lapsed
        returning 1)
      select count(*) as n from lapsed`);
    return countOf(rows);
  });
}

/**
 * Erases personal data everywhere it lives once its retention ends (SPEC §3.8):
 *  - lapsed and removed registrations older than retentionDays lose phone, e-mail, address,
 *    codes, tokens and the staff's reason (it may quote the number), leaving the salted phone
 *    hash for the block list and statistics; their notifications lose recipient, body
 *    variables, code and provider error (providers quote the number);
 *  - batches finished more than retentionDays ago lose the phone list they were given (kept as
 *    its length) and their failures the entries as typed (see eraseOldBatchTargets);
 *  - phases closed more than retentionDays ago lose their employee allow-list;
 *  - velocity signals older than a day (or the velocity window, if longer) are deleted: they
 *    hold addresses.
 * Returns the number of registrations erased.
 */
export async function purgePersonalData(db: Database, now: Date = new Date(), options: { chunk?: number } = {}): Promise<number> {
  const chunk = options.chunk ?? 5_000;
  // Raw SQL parameters are sent as text: pass the instant as ISO 8601.
  const at = now.toISOString();
  const total = await inChunks(chunk, async () => {
    const rows = await db.execute(sql`
      with policy as (select retention_days from policy_settings where id = 1),
      due as (
        select r.id from registrations r, policy
        where r.status in ('lapsed', 'removed') and r.erased_at is null
          and r.status_changed_at < ${at}::timestamptz - make_interval(days => policy.retention_days)
        limit ${chunk}
        for update of r skip locked),
      erased as (
        update registrations r
        set phone = null, email = null, signup_ip = null, verification_code_hash = null,
            status_token_hash = null, status_reason = null, erased_at = ${at}::timestamptz
        from due where r.id = due.id
        returning r.id),
      messages as (
        update notifications n set recipient = 'erased', secret = null, params = '{}'::jsonb, last_error = null
        from erased where n.registration_id = erased.id
        returning 1),
      decided as (
        insert into policy_decisions (registration_id, kind, reasons)
        select id, 'personal_data_erased', array['retention_period_passed'] from erased
        returning 1)
      select count(*) as n from erased`);
    return countOf(rows);
  });
  await eraseOldBatchTargets(db, now);
  await eraseOldAllowLists(db, now);
  await db.execute(sql`
    delete from registration_signals
    where created_at < ${at}::timestamptz - greatest(interval '1 day',
      (select make_interval(mins => velocity_window_minutes) from policy_settings where id = 1))`);
  return total;
}

/**
 * Batches finished (completed, failed or cancelled) more than retentionDays ago: the targeted
 * list as staff gave it (`params.phones`, numbers as typed) and as resolved (`params.targets`)
 * is replaced by its length (`params.listSize`), and the failures' entries as typed are erased
 * (their reason and registration stay). Batches are few: one statement does them all.
 */
export async function eraseOldBatchTargets(db: Database, now: Date = new Date()): Promise<number> {
  const at = now.toISOString();
  const rows = await db.execute<{ n: number }>(sql`
    with policy as (select retention_days from policy_settings where id = 1),
    due as (
      select b.id from batches b, policy
      where b.status in ('completed', 'failed', 'cancelled')
        and coalesce(b.finished_at, b.cancelled_at, b.created_at) < ${at}::timestamptz - make_interval(days => policy.retention_days)
        and (b.params ? 'phones' or b.params ? 'targets' or exists (select 1 from batch_failures f where f.batch_id = b.id and f.input is not null))
      for update of b skip locked),
    stripped as (
      update batches b
      set params = (b.params - 'phones' - 'targets')
        || case when b.params ? 'phones' then jsonb_build_object('listSize', jsonb_array_length(b.params->'phones')) else '{}'::jsonb end
      from due where b.id = due.id
      returning b.id),
    failures as (
      update batch_failures f set input = null
      from due where f.batch_id = due.id and f.input is not null
      returning 1)
    select (select count(*) from stripped)::int as n`);
  return rows[0]?.n ?? 0;
}

/** Phases closed more than retentionDays ago: their employee allow-list (phones, notes) is deleted. */
export async function eraseOldAllowLists(db: Database, now: Date = new Date()): Promise<number> {
  const at = now.toISOString();
  const rows = await db.execute<{ n: number }>(sql`
    with policy as (select retention_days from policy_settings where id = 1),
    deleted as (
      delete from phase_allowed_phones a
      using phases p, policy
      where a.phase_id = p.id and p.status = 'closed'
        and p.closed_at < ${at}::timestamptz - make_interval(days => policy.retention_days)
      returning 1)
    select count(*)::int as n from deleted`);
  return rows[0]?.n ?? 0;
}
