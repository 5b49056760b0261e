// When will the queue be served? A plain estimator over a few figures read from the database
// (./forecast-basis.ts), shared by the Overview's forecast, the registration page and the public
// `estimatedAdmissionAt` (SPEC §4, §5). Always an estimate, and null where there is no basis.
//
// The rules:
// - Pace: admissions of the active phase over the last 7 days (or since the phase was
//   activated, when that is more recent; never less than one day, so a batch sent an hour ago
//   does not read as 24 batches a day), divided by the window's length. An admission is an
//   invitation issued in the phase and not revoked (a revoked one went back to its place):
//   that is when a place in the queue is served. Bursts count by their total, so one batch of
//   7,000 in a week reads as 1,000 a day.
// - The active phase bounds it: the pace never exceeds its daily admission cap; nobody beyond
//   its remaining capacity gets in within it ("beyond_capacity"), nor after its endsAt
//   ("after_phase_end"). What a later phase will do is not known, so there is no estimate.
// - No basis: no active phase, an internal phase (only allow-listed employees get in, the queue
//   does not move), or no admission in the window.
// - Position p is reached after p admissions: now + p / pace. People who join later queue
//   behind and do not change it; the queue length moves by arrivals (people who joined the queue
//   in the last 7 days and are still waiting, per day) minus admissions.
import type { PhaseKind } from "@/db/schema";

export const FORECAST_WINDOW_DAYS = 7;
export const DAY_MS = 86_400_000;
/** The positions the Overview marks, besides the last one. */
export const FORECAST_MILESTONES = [1_000, 10_000, 100_000] as const;

export type NoBasisReason = "no_active_phase" | "internal_phase" | "no_admissions" | "beyond_capacity" | "after_phase_end" | "not_eligible";

export interface ForecastPhase {
  id: string;
  slug: string;
  name: string;
  kind: PhaseKind;
  activatedAt: Date | null;
  endsAt: Date | null;
  dailyAdmissionCap: number | null;
  /** How many more the phase may admit (capacity − members − live invitations); null = no capacity. */
  capacityLeft: number | null;
  countries: string[] | null;
  platforms: string[] | null;
}

/** The figures an estimate is made of, as read at `at`. */
export interface ForecastBasis {
  at: Date;
  /** Waiting now (exact). */
  queueLength: number;
  /** Admissions in the active phase within the admission window. */
  admitted: number;
  /** Length of that window in days (1 … 7). */
  admissionWindowDays: number;
  /** Joined the queue within the arrival window and still waiting. */
  joined: number;
  /** Length of that window in days (1 … 7). */
  arrivalWindowDays: number;
  activePhase: ForecastPhase | null;
}

export interface AdmissionPace {
  /** Admissions per day the estimate assumes (the observed pace, bounded by the daily cap). */
  perDay: number;
  /** Admissions per day seen in the window. */
  observedPerDay: number;
  /** The daily cap binds: the observed pace was higher. */
  limitedByDailyCap: boolean;
  /** Joiners per day (still waiting) over the arrival window. */
  arrivalsPerDay: number;
  capacityLeft: number | null;
  /** Admissions stop at the active phase's end. */
  stopsAt: Date | null;
  /** Why nothing can be estimated at all (then perDay is 0). */
  noBasis: NoBasisReason | null;
}

export type PositionEstimate = { at: Date; reason: null } | { at: null; reason: NoBasisReason };

/** Window length in days between `start` and `now`: at most `FORECAST_WINDOW_DAYS`, at least one. */
export function windowDays(now: Date, start: Date | null): number {
  const days = start ? (now.getTime() - start.getTime()) / DAY_MS : FORECAST_WINDOW_DAYS;
  return Math.min(FORECAST_WINDOW_DAYS, Math.max(1, days));
}

export function admissionPace(basis: ForecastBasis): AdmissionPace {
  const arrivalsPerDay = basis.joined / basis.arrivalWindowDays;
  const phase = basis.activePhase;
  const none = (noBasis: NoBasisReason): AdmissionPace => ({
    perDay: 0,
    observedPerDay: phase ? basis.admitted / basis.admissionWindowDays : 0,
    limitedByDailyCap: false,
    arrivalsPerDay,
    capacityLeft: phase?.capacityLeft ?? null,
    stopsAt: phase?.endsAt ?? null,
    noBasis,
  });
  if (!phase) return none("no_active_phase");
  if (phase.kind === "internal") return none("internal_phase");
  if (basis.admitted <= 0) return none("no_admissions");
  const observedPerDay = basis.admitted / basis.admissionWindowDays;
  const cap = phase.dailyAdmissionCap;
  const limitedByDailyCap = cap !== null && cap < observedPerDay;
  const perDay = limitedByDailyCap ? cap : observedPerDay;
  if (perDay <= 0) return { ...none("no_admissions"), observedPerDay, limitedByDailyCap };
  return { perDay, observedPerDay, limitedByDailyCap, arrivalsPerDay, capacityLeft: phase.capacityLeft, stopsAt: phase.endsAt, noBasis: null };
}

/** When the person now at `position` (1-based) gets in. */
export function estimatePositionReachedAt(pace: AdmissionPace, position: number, now: Date): PositionEstimate {
  if (pace.noBasis) return { at: null, reason: pace.noBasis };
  if (pace.capacityLeft !== null && position > pace.capacityLeft) return { at: null, reason: "beyond_capacity" };
  const at = new Date(now.getTime() + (position / pace.perDay) * DAY_MS);
  if (pace.stopsAt && at > pace.stopsAt) return { at: null, reason: "after_phase_end" };
  return { at, reason: null };
}

/** Admissions made `days` after now: the pace, stopped by the capacity left and the phase's end. */
function admittedAfter(pace: AdmissionPace, now: Date, days: number): number {
  const until = pace.stopsAt ? Math.max(0, Math.min(days, (pace.stopsAt.getTime() - now.getTime()) / DAY_MS)) : days;
  const admitted = pace.perDay * until;
  return pace.capacityLeft === null ? admitted : Math.min(admitted, pace.capacityLeft);
}

/** Days until admissions stop (capacity used up or the phase's end); Infinity when they do not. */
function drainingDays(pace: AdmissionPace, now: Date): number {
  const untilFull = pace.capacityLeft === null ? Infinity : pace.capacityLeft / pace.perDay;
  const untilEnd = pace.stopsAt ? (pace.stopsAt.getTime() - now.getTime()) / DAY_MS : Infinity;
  return Math.min(untilFull, untilEnd);
}

export interface ForecastPoint {
  /** Days from now. */
  day: number;
  /** ISO time of the point. */
  at: string;
  /** Of the people waiting now, how many still wait. */
  remaining: number;
  /** The queue's length with new arrivals at the observed pace. */
  queueLength: number;
}

export interface ForecastMilestone {
  position: number;
  /** The current last place. */
  last: boolean;
  estimate: PositionEstimate;
}

export interface QueueForecast {
  basis: ForecastBasis;
  pace: AdmissionPace;
  milestones: ForecastMilestone[];
  /** One point a day from now to the horizon; empty when there is no basis. */
  points: ForecastPoint[];
  horizonDays: number;
}

const MIN_HORIZON_DAYS = 28;
const MAX_HORIZON_DAYS = 182;

/**
 * The Overview's forecast: milestones (1k, 10k, 100k when the queue is that long, and the last
 * place) and the queue over the coming weeks — at least four, and long enough to show the last
 * place served when that is within half a year.
 */
export function forecastQueue(basis: ForecastBasis, milestones: readonly number[] = FORECAST_MILESTONES): QueueForecast {
  const pace = admissionPace(basis);
  const now = basis.at;
  const positions = milestones.filter((p) => p < basis.queueLength);
  const list: ForecastMilestone[] = positions.map((position) => ({ position, last: false, estimate: estimatePositionReachedAt(pace, position, now) }));
  if (basis.queueLength > 0) {
    list.push({ position: basis.queueLength, last: true, estimate: estimatePositionReachedAt(pace, basis.queueLength, now) });
  }
  if (pace.noBasis) return { basis, pace, milestones: list, points: [], horizonDays: 0 };

  const lastAt = list.at(-1)?.estimate.at;
  // Until the last place is served; when the phase fills or ends first, a while past that.
  const shown = lastAt ? ((lastAt.getTime() - now.getTime()) / DAY_MS) * 1.15 : drainingDays(pace, now) * 1.5;
  const horizonDays = Math.min(MAX_HORIZON_DAYS, Math.max(MIN_HORIZON_DAYS, Math.ceil(shown)));
  const points: ForecastPoint[] = [];
  for (let day = 0; day <= horizonDays; day++) {
    const admitted = admittedAfter(pace, now, day);
    points.push({
      day,
      at: new Date(now.getTime() + day * DAY_MS).toISOString(),
      remaining: Math.max(0, Math.round(basis.queueLength - admitted)),
      queueLength: Math.max(0, Math.round(basis.queueLength + pace.arrivalsPerDay * day - admitted)),
    });
  }
  return { basis, pace, milestones: list, points, horizonDays };
}

/**
 * `estimatedAdmissionAt` of one registration: null unless it is waiting with a position, when
 * the active phase would not admit it (country, platform), or when there is no basis.
 */
export function estimateAdmissionAt(
  basis: ForecastBasis,
  registration: { status: string; position: number | null; phoneCountry: string; platform: string },
  now = basis.at,
): PositionEstimate | null {
  if (registration.status !== "waiting" || registration.position === null) return null;
  const phase = basis.activePhase;
  if (phase?.countries?.length && !phase.countries.includes(registration.phoneCountry)) return { at: null, reason: "not_eligible" };
  if (phase?.platforms?.length && !phase.platforms.includes(registration.platform)) return { at: null, reason: "not_eligible" };
  return estimatePositionReachedAt(admissionPace(basis), registration.position, now);
}
