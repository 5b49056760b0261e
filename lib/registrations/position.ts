// Exact queue position at any depth in milliseconds (SPEC §3.1, §7).
//
// waitlist_counts holds per (priority, hour-of-queuedAt) counts of waiting registrations as
// delta rows, appended by statement triggers in the same transaction as every change of the
// waiting set (db/migrations/0001). In any snapshot, the sum of a bucket's deltas therefore
// equals the number of waiting rows of that bucket in the same snapshot. Position is then
//   1 + Σ n over buckets entirely ahead (higher priority, or same priority and earlier hour)
//     + the rows ahead inside one's own (priority, hour) bucket (a short range of
//       registrations_queue_idx)
// computed in ONE statement, i.e. one snapshot: exact, never an estimate.
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";

function firstNumber(rows: unknown, column: string): number | null {
  const row = (rows as Record<string, unknown>[])[0];
  if (!row || row[column] === null || row[column] === undefined) return null;
  return Number(row[column]);
}

/** 1-based rank of a registration among waiting ones; null unless it is waiting. */
export async function positionOf(db: Database, registrationId: string): Promise<number | null> {
  const rows = await db.execute(sql`
    select 1
      + coalesce((select sum(w.n) from waitlist_counts w where w.priority > me.priority), 0)
      + coalesce((select sum(w.n) from waitlist_counts w
                  where w.priority = me.priority and w.bucket < me.bucket), 0)
      + (select count(*) from registrations r
         where r.status = 'waiting' and r.priority = me.priority
           and r.queued_at >= me.bucket
           and (r.queued_at, r.id) < (me.queued_at, me.id)) as position
    from (select priority, queued_at, id, date_trunc('hour', queued_at, 'UTC') as bucket
          from registrations where id = ${registrationId} and status = 'waiting') me`);
  return firstNumber(rows, "position");
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
 * Folds the delta rows of waitlist_counts into one row per (priority, bucket) and drops empty
 * buckets. One statement: the rows it deletes and the sums it inserts commit together, so every
 * snapshot sees the same totals before and after. Deltas appended concurrently are not in its
 * snapshot and stay for the next run. Run it often (every ~30 s): each registration appends a
 * delta row, and position sums over them.
 */
export async function compactWaitlistCounts(db: Database): Promise<{ rowsBefore: number; rowsAfter: number }> {
  const rows = await db.execute(sql`
    with folded as (delete from waitlist_counts returning priority, bucket, n),
    sums as (select priority, bucket, sum(n)::bigint as n from folded group by priority, bucket),
    inserted as (insert into waitlist_counts (priority, bucket, n)
                 select priority, bucket, n from sums where n <> 0 returning 1)
    select (select count(*) from folded) as before, (select count(*) from inserted) as after`);
  const row = (rows as unknown as { before: number; after: number }[])[0]!;
  return { rowsBefore: Number(row.before), rowsAfter: Number(row.after) };
}
