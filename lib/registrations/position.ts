// Exact queue position at any depth in milliseconds (SPEC §3.1, §7).
//
// waitlist_counts holds per (priority, hour-of-queuedAt) counts of waiting registrations:
// delta rows (folded = false) appended by statement triggers in the same transaction as every
// change of the waiting set (db/migrations/0001), and one folded row per key written by
// compaction. waitlist_day_counts holds the per-day totals of the folded rows, kept by triggers
// on waitlist_counts (0003). In any snapshot these sums equal the waiting rows they count, so
//   position = 1
//     + Σ day totals ahead          (higher priority, or same priority and an earlier day)
//     + Σ folded hours ahead in one's own day
//     + Σ unfolded deltas ahead     (few: compaction runs every ~30 s)
//     + the rows ahead inside one's own (priority, hour)   (a short registrations_queue_idx range)
// computed in ONE statement, i.e. one snapshot: exact, never an estimate. At 10M that is
// ~700 day rows + ≤ 24 hour rows + one hour's range count instead of ~17k hour rows.
import { type SQL, sql } from "drizzle-orm";
import type { Database } from "@/db/client";

function firstNumber(rows: unknown, column: string): number | null {
  const row = (rows as Record<string, unknown>[])[0];
  if (!row || row[column] === null || row[column] === undefined) return null;
  return Number(row[column]);
}

/** The position statement (exported so tests can EXPLAIN exactly what runs). */
export function positionQuery(registrationId: string): SQL {
  return sql`
    select 1
      + coalesce((select sum(d.n) from waitlist_day_counts d where d.priority > me.priority), 0)
      + coalesce((select sum(d.n) from waitlist_day_counts d where d.priority = me.priority and d.day < me.day), 0)
      + coalesce((select sum(w.n) from waitlist_counts w
                  where w.folded and w.priority = me.priority and w.bucket >= me.day and w.bucket < me.bucket), 0)
      + coalesce((select sum(w.n) from waitlist_counts w where not w.folded and w.priority > me.priority), 0)
      + coalesce((select sum(w.n) from waitlist_counts w
                  where not w.folded and w.priority = me.priority and w.bucket < me.bucket), 0)
      + (select count(*) from registrations r
         where r.status = 'waiting' and r.priority = me.priority
           and r.queued_at >= me.bucket
           and (r.queued_at, r.id) < (me.queued_at, me.id)) as position
    from (select priority, queued_at, id,
                 date_trunc('hour', queued_at, 'UTC') as bucket,
                 date_trunc('day', queued_at, 'UTC') as day
          from registrations where id = ${registrationId} and status = 'waiting') me`;
}

/** 1-based rank of a registration among waiting ones; null unless it is waiting. */
export async function positionOf(db: Database, registrationId: string): Promise<number | null> {
  return firstNumber(await db.execute(positionQuery(registrationId)), "position");
}

/**
 * The textbook answer — count everyone ahead — for tests and the benchmark baseline. Two
 * index range counts (higher priority; same priority and earlier) rather than one OR, which
 * the planner turns into a bitmap scan.
 */
export async function naivePositionOf(db: Database, registrationId: string): Promise<number | null> {
  const rows = await db.execute(sql`
    select 1
      + (select count(*) from registrations r where r.status = 'waiting' and r.priority > me.priority)
      + (select count(*) from registrations r
         where r.status = 'waiting' and r.priority = me.priority
           and (r.queued_at, r.id) < (me.queued_at, me.id)) as position
    from (select priority, queued_at, id from registrations where id = ${registrationId} and status = 'waiting') me`);
  return firstNumber(rows, "position");
}

/** How many registrations are waiting, from the counts (exact, one small scan). */
export async function waitingCount(db: Database): Promise<number> {
  const rows = await db.execute(sql`select coalesce(sum(n), 0) as n from waitlist_counts`);
  return firstNumber(rows, "n") ?? 0;
}

/**
 * Folds every (priority, bucket) that has delta rows into one folded row (and drops empty
 * ones); the waitlist_counts triggers move the folded totals into waitlist_day_counts. One
 * transaction: readers see the counts before or after, both exact. Deltas appended
 * concurrently are not in its snapshot and stay for the next run. Run it often (every ~30 s):
 * each registration appends a delta row. An advisory lock keeps two compactions from
 * interleaving their day-count upserts.
 */
export async function compactWaitlistCounts(db: Database): Promise<{ rowsBefore: number; rowsAfter: number }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(7243012)`);
    const rows = await tx.execute(sql`
      with touched as (select distinct priority, bucket from waitlist_counts where not folded),
      removed as (
        delete from waitlist_counts w using touched t
        where w.priority = t.priority and w.bucket = t.bucket
        returning w.priority, w.bucket, w.n),
      sums as (select priority, bucket, sum(n)::bigint as n from removed group by priority, bucket),
      inserted as (
        insert into waitlist_counts (priority, bucket, n, folded)
        select priority, bucket, n, true from sums where n <> 0 returning 1)
      select (select count(*) from removed) as before, (select count(*) from inserted) as after`);
    await tx.execute(sql`delete from waitlist_day_counts where n = 0`);
    const row = (rows as unknown as { before: number; after: number }[])[0]!;
    return { rowsBefore: Number(row.before), rowsAfter: Number(row.after) };
  });
}

/**
 * VACUUMs the two small count tables. Compaction leaves the delta rows it folded dead, and
 * position lookups would walk their index entries until a vacuum; cheap (tens of thousands of
 * rows). Not in a transaction: run it after compactWaitlistCounts.
 */
export async function vacuumWaitlistCounts(db: Database): Promise<void> {
  await db.execute(sql`vacuum (analyze) waitlist_counts, waitlist_day_counts`);
}
