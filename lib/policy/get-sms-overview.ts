// What the Policy page shows about SMS spending (SPEC §3.2 rule 7): each budget beside its use
// in the current window (the live Redis counters the request path spends), the held prefixes,
// and codes sent vs verified per hour, per country and per prefix over the last 24 hours (the
// 5-minute statistics the SMS statistics job folds; up to a minute and a half behind).
import { and, desc, eq, gte, lt, or, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { smsPrefixHolds, smsSendStats, type PolicySettings, type SmsPrefixHold } from "@/db/schema";
import { type Actor, assertCan } from "@/lib/auth/roles";
import type { RateLimiter } from "@/lib/rate-limit/rate-limiter";
import { smsBudgetCounters } from "./sms-spending-rules";

export interface SendsAndVerifications {
  sends: number;
  verifications: number;
}

export interface BudgetUseRow {
  /** A country code, a prefix, or "all" for the global budget. */
  scope: string;
  used: number;
  budget: number;
}

export interface SmsOverview {
  budgets: {
    /** All codes this clock minute. */
    global: BudgetUseRow;
    /** The busiest countries and prefixes of this clock hour. */
    countries: BudgetUseRow[];
    prefixes: BudgetUseRow[];
  };
  /** Held prefixes, and those released in the last 24 hours. */
  holds: SmsPrefixHold[];
  /** One row per hour of the last 24, oldest first (hours without codes included). */
  hourly: ({ hour: Date } & SendsAndVerifications)[];
  countries: ({ country: string } & SendsAndVerifications)[];
  prefixes: ({ prefix: string; country: string } & SendsAndVerifications)[];
}

const TOP = 20;
const BUSIEST = 5;

/**
 * Each budget beside its use in its current window — the global one, and those of this hour's
 * busiest countries and prefixes — from the live Redis counters the request path spends. Also
 * read by the metrics endpoint (no actor: its caller authorizes).
 */
export async function getSmsBudgetUse(
  db: Database,
  options: { settings: PolicySettings; limiter: RateLimiter; now?: Date },
): Promise<SmsOverview["budgets"]> {
  const now = options.now ?? new Date();
  const hourStart = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
  const thisHour = and(gte(smsSendStats.bucket, hourStart), lt(smsSendStats.bucket, new Date(hourStart.getTime() + 3_600_000)));
  const sends = sql<number>`sum(${smsSendStats.sends})::int`;
  const [busyCountries, busyPrefixes] = await Promise.all([
    db.select({ scope: smsSendStats.country }).from(smsSendStats).where(thisHour).groupBy(smsSendStats.country).orderBy(desc(sends)).limit(BUSIEST),
    db
      .select({ scope: smsSendStats.prefix, country: sql<string>`min(${smsSendStats.country})` })
      .from(smsSendStats)
      .where(thisHour)
      .groupBy(smsSendStats.prefix)
      .orderBy(desc(sends))
      .limit(BUSIEST),
  ]);
  // The live counters: what the next registration will be judged against.
  const [, , globalCounter] = smsBudgetCounters("", "", now);
  const counters = [
    globalCounter,
    ...busyCountries.map((c) => smsBudgetCounters(c.scope, "", now)[0]),
    ...busyPrefixes.map((p) => smsBudgetCounters(p.country, p.scope, now)[1]),
  ];
  const used = await options.limiter.peek(counters);
  const { settings } = options;
  return {
    global: { scope: "all", used: used[0] ?? 0, budget: settings.smsBudgetGlobalPerMinute },
    countries: busyCountries.map((c, i) => ({ scope: c.scope, used: used[1 + i] ?? 0, budget: settings.smsBudgetCountryPerHour })),
    prefixes: busyPrefixes.map((p, i) => ({ scope: p.scope, used: used[1 + busyCountries.length + i] ?? 0, budget: settings.smsBudgetPrefixPerHour })),
  };
}

export async function getSmsOverview(
  db: Database,
  actor: Actor,
  options: { settings: PolicySettings; limiter: RateLimiter; now?: Date },
): Promise<SmsOverview> {
  assertCan(actor, "view");
  const now = options.now ?? new Date();
  const hourStart = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
  const since = new Date(hourStart.getTime() - 23 * 3_600_000);
  const totals = { sends: sql<number>`sum(${smsSendStats.sends})::int`, verifications: sql<number>`sum(${smsSendStats.verifications})::int` };
  const hourEnd = new Date(hourStart.getTime() + 3_600_000);
  // The 24 hours the chart shows, no more: every table adds up to the chart.
  const recent = and(gte(smsSendStats.bucket, since), lt(smsSendStats.bucket, hourEnd));

  const [hourlyRows, countries, prefixes, budgets, holds] = await Promise.all([
    db
      .select({ hour: sql<string>`date_trunc('hour', ${smsSendStats.bucket})`.as("hour"), ...totals })
      .from(smsSendStats)
      .where(recent)
      .groupBy(sql`1`),
    db.select({ country: smsSendStats.country, ...totals }).from(smsSendStats).where(recent).groupBy(smsSendStats.country).orderBy(desc(totals.sends)).limit(TOP),
    db
      .select({ prefix: smsSendStats.prefix, country: sql<string>`min(${smsSendStats.country})`, ...totals })
      .from(smsSendStats)
      .where(recent)
      .groupBy(smsSendStats.prefix)
      .orderBy(desc(totals.sends))
      .limit(TOP),
    getSmsBudgetUse(db, { ...options, now }),
    db
      .select()
      .from(smsPrefixHolds)
      .where(or(eq(smsPrefixHolds.status, "held"), and(eq(smsPrefixHolds.status, "released"), gte(smsPrefixHolds.releasedAt, new Date(now.getTime() - 86_400_000)))))
      .orderBy(smsPrefixHolds.status, desc(smsPrefixHolds.heldAt)),
  ]);

  const byHour = new Map(hourlyRows.map((row) => [new Date(row.hour).getTime(), row]));
  const hourly = Array.from({ length: 24 }, (_, i) => {
    const hour = new Date(since.getTime() + i * 3_600_000);
    const row = byHour.get(hour.getTime());
    return { hour, sends: row?.sends ?? 0, verifications: row?.verifications ?? 0 };
  });
  return {
    budgets,
    holds,
    hourly,
    countries,
    prefixes,
  };
}
