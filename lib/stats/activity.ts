// The Overview's activity figures over an index range of recent days, cheap at 10M rows:
// - registrations per day (registrations_created_at_idx) and admissions per day
//   (members_admitted_at_idx): the newest days are counted exactly as long as they hold at most
//   100k rows together (index-only range counts), older days come from planner estimates;
// - verified today: the people who joined the queue since 00:00 UTC and are still waiting, exact
//   from waitlist_counts (hour buckets of queuedAt; a first verification sets queuedAt). Counting
//   verified_at over registrations has no index and read ~110k heap pages at 10M (0.85 s);
// - median wait: verified → admitted over the most recent admissions of the window.
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { waitlistCounts } from "@/db/schema";
import { estimateRowsPerRange } from "./estimates";

export interface DayPoint {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  registrations: number;
  admissions: number;
  /** False when a figure of this day is a planner estimate. */
  registrationsExact: boolean;
  admissionsExact: boolean;
}

export interface OverviewActivity {
  days: DayPoint[];
  /** Joined the queue today (UTC) and still waiting; exact. */
  verifiedToday: number;
  /** Median seconds from verification to admission; null when nobody was admitted in the window. */
  medianWaitSeconds: number | null;
  /** How many admissions the median is taken over. */
  medianWaitSample: number;
}

const DAY_MS = 86_400_000;
/** The median is taken over at most this many of the latest admissions. */
const MEDIAN_SAMPLE = 500;
/**
 * The newest days of a series are counted exactly up to this many rows together (an index-only
 * range of 20k rows is a few ms); older days are planner estimates.
 */
export const SERIES_EXACT_LIMIT = 20_000;

function utcDayStart(date: Date): Date {
  return new Date(Math.floor(date.getTime() / DAY_MS) * DAY_MS);
}

/**
 * Rows per UTC day of `column` in `table` for the `days` days ending today. Estimates every day,
 * then counts exactly the newest days whose estimates add up to at most `limit` rows.
 */
async function perDay(
  db: Database,
  table: "registrations" | "members",
  column: "created_at" | "admitted_at",
  starts: Date[],
  limit: number,
): Promise<{ counts: number[]; exact: boolean[] }> {
  const t = sql.identifier(table);
  const c = sql.identifier(column);
  const ends = starts.map((s) => new Date(s.getTime() + DAY_MS));
  const estimates = await estimateRowsPerRange(
    db,
    table,
    column,
    starts.map((start, i) => ({ start, end: ends[i]! })),
  );
  // Newest first: extend the exactly counted range while it stays cheap.
  let firstExact = starts.length;
  let budget = 0;
  while (firstExact > 0 && budget + estimates[firstExact - 1]! <= limit) budget += estimates[--firstExact]!;
  const counts = [...estimates];
  const exact = starts.map((_, i) => i >= firstExact);
  if (firstExact < starts.length) {
    // Days since the epoch: cheaper to group by than a formatted date.
    const rows = await db.execute<{ day: number; n: number }>(sql`
      select floor(extract(epoch from ${c}) / 86400)::int as day, count(*)::int as n
      from ${t} where ${c} >= ${starts[firstExact]!.toISOString()}::timestamptz
      group by 1`);
    const byDay = new Map(rows.map((r) => [r.day, r.n]));
    for (let i = firstExact; i < starts.length; i++) counts[i] = byDay.get(starts[i]!.getTime() / DAY_MS) ?? 0;
  }
  return { counts, exact };
}

export async function getOverviewActivity(
  db: Database,
  options: { days?: number; now?: Date; exactLimit?: number } = {},
): Promise<OverviewActivity> {
  const days = options.days ?? 30;
  const limit = options.exactLimit ?? SERIES_EXACT_LIMIT;
  const today = utcDayStart(options.now ?? new Date());
  const starts = Array.from({ length: days }, (_, i) => new Date(today.getTime() - (days - 1 - i) * DAY_MS));
  const windowStart = starts[0]!.toISOString();

  const [registrations, admissions, verifiedToday, [median]] = await Promise.all([
    perDay(db, "registrations", "created_at", starts, limit),
    perDay(db, "members", "admitted_at", starts, limit),
    db
      .select({ n: sql<number>`coalesce(sum(${waitlistCounts.n}), 0)::bigint` })
      .from(waitlistCounts)
      .where(sql`${waitlistCounts.bucket} >= ${today.toISOString()}::timestamptz`),
    db.execute<{ seconds: number | null; sample: number }>(sql`
      select percentile_cont(0.5) within group (order by extract(epoch from latest.admitted_at - r.verified_at))::float8 as seconds,
             count(*)::int as sample
      from (select registration_id, admitted_at from members where admitted_at >= ${windowStart}::timestamptz
            order by admitted_at desc limit ${MEDIAN_SAMPLE}) as latest
      join registrations r on r.id = latest.registration_id
      where r.verified_at is not null`),
  ]);

  return {
    days: starts.map((start, i) => ({
      day: start.toISOString().slice(0, 10),
      registrations: registrations.counts[i]!,
      admissions: admissions.counts[i]!,
      registrationsExact: registrations.exact[i]!,
      admissionsExact: admissions.exact[i]!,
    })),
    verifiedToday: Number(verifiedToday[0]?.n ?? 0),
    medianWaitSeconds: median?.seconds == null ? null : Math.round(median.seconds),
    medianWaitSample: median?.sample ?? 0,
  };
}
