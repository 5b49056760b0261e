// The Overview's activity figures over an index range of recent days, cheap at 10M rows:
// - registrations per day (registrations_created_at_idx) and admissions per day
//   (members_admitted_at_idx): the newest days are counted exactly as long as they hold at most
//   100k rows together (index-only range counts), older days come from planner estimates;
// - verified today: registrations created since yesterday's start (one index range, ~2 days of
//   sign-ups) that verified today (verification happens within the OTP window of creation);
// - median wait: verified → admitted over the most recent admissions of the window.
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { EXACT_COUNT_LIMIT, countOrEstimate, plannerRows } from "./estimates";

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
  verifiedToday: number;
  verifiedTodayExact: boolean;
  /** Median seconds from verification to admission; null when nobody was admitted in the window. */
  medianWaitSeconds: number | null;
  /** How many admissions the median is taken over. */
  medianWaitSample: number;
}

const DAY_MS = 86_400_000;
/** The median is taken over at most this many of the latest admissions. */
const MEDIAN_SAMPLE = 2_000;

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
  const estimates = await Promise.all(
    starts.map((start, i) => plannerRows(db, sql`select 1 from ${t} where ${c} >= ${start.toISOString()}::timestamptz and ${c} < ${ends[i]!.toISOString()}::timestamptz`)),
  );
  // Newest first: extend the exactly counted range while it stays cheap.
  let firstExact = starts.length;
  let budget = 0;
  while (firstExact > 0 && budget + estimates[firstExact - 1]! <= limit) budget += estimates[--firstExact]!;
  const counts = [...estimates];
  const exact = starts.map((_, i) => i >= firstExact);
  if (firstExact < starts.length) {
    const rows = await db.execute<{ day: string; n: number }>(sql`
      select to_char(date_trunc('day', ${c}, 'UTC'), 'YYYY-MM-DD') as day, count(*)::int as n
      from ${t} where ${c} >= ${starts[firstExact]!.toISOString()}::timestamptz
      group by 1`);
    const byDay = new Map(rows.map((r) => [r.day, r.n]));
    for (let i = firstExact; i < starts.length; i++) counts[i] = byDay.get(starts[i]!.toISOString().slice(0, 10)) ?? 0;
  }
  return { counts, exact };
}

export async function getOverviewActivity(
  db: Database,
  options: { days?: number; now?: Date; exactLimit?: number } = {},
): Promise<OverviewActivity> {
  const days = options.days ?? 30;
  const limit = options.exactLimit ?? EXACT_COUNT_LIMIT;
  const today = utcDayStart(options.now ?? new Date());
  const starts = Array.from({ length: days }, (_, i) => new Date(today.getTime() - (days - 1 - i) * DAY_MS));
  const windowStart = starts[0]!.toISOString();
  const yesterday = new Date(today.getTime() - DAY_MS).toISOString();

  const [registrations, admissions, verifiedToday, [median]] = await Promise.all([
    perDay(db, "registrations", "created_at", starts, limit),
    perDay(db, "members", "admitted_at", starts, limit),
    countOrEstimate(
      db,
      sql`select 1 from registrations where created_at >= ${yesterday}::timestamptz and verified_at >= ${today.toISOString()}::timestamptz`,
      limit,
    ),
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
    verifiedToday: verifiedToday.value,
    verifiedTodayExact: verifiedToday.exact,
    medianWaitSeconds: median?.seconds == null ? null : Math.round(median.seconds),
    medianWaitSample: median?.sample ?? 0,
  };
}
