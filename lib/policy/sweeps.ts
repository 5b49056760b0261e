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
 * Erases the personal data (phone, e-mail, address, codes, tokens) of lapsed and removed
 * registrations older than retentionDays, leaving the salted phone hash for the block list and
 * statistics. Their notifications' recipients go too. Velocity signals older than a day (or the
 * velocity window, if longer) are deleted: they hold addresses.
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
            status_token_hash = null, erased_at = ${at}::timestamptz
        from due where r.id = due.id
        returning r.id),
      messages as (
        update notifications n set recipient = 'erased', secret = null, params = '{}'::jsonb
        from erased where n.registration_id = erased.id
        returning 1),
      decided as (
        insert into policy_decisions (registration_id, kind, reasons)
        select id, 'personal_data_erased', array['retention_period_passed'] from erased
        returning 1)
      select count(*) as n from erased`);
    return countOf(rows);
  });
  await db.execute(sql`
    delete from registration_signals
    where created_at < ${at}::timestamptz - greatest(interval '1 day',
      (select make_interval(mins => velocity_window_minutes) from policy_settings where id = 1))`);
  return total;
}
