// The figures the admission forecast is made of (./admission-forecast.ts), read in a handful of
// index-range queries, cheap at 10M registrations:
// - waiting now and joined in the last 7 days (still waiting): sums over waitlist_counts;
// - the active phase, its invitations issued since the window's start
//   (invitations_phase_id_status_created_at_idx) and, when it has a capacity, what it has used.
// The public endpoints (`estimatedAdmissionAt` of /me and verify) read it through the
// per-process cache: one read a minute per process, whatever the traffic.
import { eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { phases } from "@/db/schema";
import { capacityUsed, invitationsIssuedSince } from "@/lib/phases/admission-usage";
import { DAY_MS, estimateAdmissionAt, FORECAST_WINDOW_DAYS, windowDays, type ForecastBasis, type ForecastPhase } from "./admission-forecast";

export async function readForecastBasis(db: Database, now = new Date()): Promise<ForecastBasis> {
  const weekAgo = new Date(now.getTime() - FORECAST_WINDOW_DAYS * DAY_MS);
  const [[queue], [active]] = await Promise.all([
    db.execute<{ waiting: string; joined: string; first: string | null }>(sql`
      select coalesce(sum(n), 0)::bigint as waiting,
             coalesce(sum(n) filter (where bucket >= ${weekAgo.toISOString()}::timestamptz), 0)::bigint as joined,
             min(bucket) filter (where n > 0) as first
      from waitlist_counts`),
    db.select().from(phases).where(eq(phases.status, "active")).limit(1),
  ]);
  const first = queue?.first ? new Date(queue.first) : null;
  let activePhase: ForecastPhase | null = null;
  let admitted = 0;
  let admissionWindow = FORECAST_WINDOW_DAYS;
  if (active) {
    // The pace of this phase: since its activation when that is within the window.
    const since = active.activatedAt && active.activatedAt > weekAgo ? active.activatedAt : weekAgo;
    const [issued, used] = await Promise.all([
      invitationsIssuedSince(db, active.id, since),
      active.capacity === null ? Promise.resolve(0) : capacityUsed(db, active.id),
    ]);
    admitted = issued;
    admissionWindow = windowDays(now, since);
    activePhase = {
      id: active.id,
      slug: active.slug,
      name: active.name,
      kind: active.kind,
      activatedAt: active.activatedAt,
      endsAt: active.endsAt,
      dailyAdmissionCap: active.dailyAdmissionCap,
      capacityLeft: active.capacity === null ? null : Math.max(0, active.capacity - used),
      countries: active.countries,
      platforms: active.platforms,
    };
  }
  return {
    at: now,
    queueLength: Number(queue?.waiting ?? 0),
    admitted,
    admissionWindowDays: admissionWindow,
    joined: Math.max(0, Number(queue?.joined ?? 0)),
    arrivalWindowDays: windowDays(now, first && first > weekAgo ? first : weekAgo),
    activePhase,
  };
}

const FORECAST_CACHE_MS = 60_000;
const cache = new WeakMap<Database, { readAt: number; basis: Promise<ForecastBasis> }>();

/**
 * The basis as read at most a minute ago in this process (per database handle). Concurrent
 * callers share one read; a failed read is not kept.
 */
export function cachedForecastBasis(db: Database, maxAgeMs = FORECAST_CACHE_MS): Promise<ForecastBasis> {
  const now = Date.now();
  const hit = cache.get(db);
  if (hit && now - hit.readAt < maxAgeMs) return hit.basis;
  const basis = readForecastBasis(db, new Date(now));
  cache.set(db, { readAt: now, basis });
  basis.catch(() => {
    if (cache.get(db)?.basis === basis) cache.delete(db);
  });
  return basis;
}

/**
 * `estimatedAdmissionAt` of the public API (ISO time or null), from the cached basis. Call it
 * outside any transaction: on a cache miss it reads through `db`'s own pool.
 */
export async function publicAdmissionEstimate(
  db: Database,
  registration: { status: string; position: number | null; phoneCountry: string; platform: string },
): Promise<string | null> {
  if (registration.status !== "waiting" || registration.position === null) return null;
  const estimate = estimateAdmissionAt(await cachedForecastBasis(db), registration, new Date());
  return estimate?.at?.toISOString() ?? null;
}
