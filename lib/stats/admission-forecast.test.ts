import { describe, expect, it } from "vitest";
import {
  admissionPace,
  DAY_MS,
  estimateAdmissionAt,
  estimatePositionReachedAt,
  forecastQueue,
  windowDays,
  type ForecastBasis,
  type ForecastPhase,
} from "./admission-forecast";

const now = new Date("2026-12-01T12:00:00Z");
const inDays = (days: number) => new Date(now.getTime() + days * DAY_MS);

const phase: ForecastPhase = {
  id: "00000000-0000-4000-8000-000000000001",
  slug: "wave-1",
  name: "Wave 1",
  kind: "closed",
  activatedAt: new Date(now.getTime() - 30 * DAY_MS),
  endsAt: null,
  dailyAdmissionCap: null,
  capacityLeft: null,
  countries: null,
  platforms: null,
};

function basis(overrides: Partial<ForecastBasis> & { phase?: Partial<ForecastPhase> | null } = {}): ForecastBasis {
  const { phase: phaseOverrides, ...rest } = overrides;
  return {
    at: now,
    queueLength: 50_000,
    admitted: 7_000,
    admissionWindowDays: 7,
    joined: 3_500,
    arrivalWindowDays: 7,
    activePhase: phaseOverrides === null ? null : { ...phase, ...phaseOverrides },
    ...rest,
  };
}

describe("no basis", () => {
  it("gives no date when nobody was admitted in the window, and draws nothing", () => {
    const b = basis({ admitted: 0 });
    expect(admissionPace(b)).toMatchObject({ perDay: 0, noBasis: "no_admissions" });
    const forecast = forecastQueue(b);
    expect(forecast.points).toEqual([]);
    expect(forecast.milestones.map((m) => m.estimate)).toEqual([
      { at: null, reason: "no_admissions" },
      { at: null, reason: "no_admissions" },
      { at: null, reason: "no_admissions" },
    ]);
    expect(estimateAdmissionAt(b, { status: "waiting", position: 1, phoneCountry: "FR", platform: "ios" })).toEqual({ at: null, reason: "no_admissions" });
  });

  it("gives no date without an active phase, or while an internal phase only admits employees", () => {
    expect(admissionPace(basis({ phase: null })).noBasis).toBe("no_active_phase");
    expect(admissionPace(basis({ phase: { kind: "internal" } })).noBasis).toBe("internal_phase");
  });

  it("gives nothing for a registration that is not waiting", () => {
    for (const status of ["invited", "admitted", "pending_verification", "removed"]) {
      expect(estimateAdmissionAt(basis(), { status, position: null, phoneCountry: "FR", platform: "ios" })).toBeNull();
    }
  });
});

describe("steady admissions", () => {
  it("serves position p after p admissions at the window's pace", () => {
    const pace = admissionPace(basis());
    expect(pace).toMatchObject({ perDay: 1_000, observedPerDay: 1_000, limitedByDailyCap: false, arrivalsPerDay: 500, noBasis: null });
    expect(estimatePositionReachedAt(pace, 1_000, now)).toEqual({ at: inDays(1), reason: null });
    expect(estimatePositionReachedAt(pace, 10_000, now)).toEqual({ at: inDays(10), reason: null });
    expect(estimateAdmissionAt(basis(), { status: "waiting", position: 2_500, phoneCountry: "FR", platform: "ios" })).toEqual({ at: inDays(2.5), reason: null });
  });

  it("marks 1k, 10k and the last place, drains the current queue and grows it by arrivals", () => {
    const forecast = forecastQueue(basis());
    expect(forecast.milestones.map((m) => [m.position, m.last, m.estimate.at])).toEqual([
      [1_000, false, inDays(1)],
      [10_000, false, inDays(10)],
      [50_000, true, inDays(50)],
    ]);
    // Long enough to show the last place served (50 days + 15 %).
    expect(forecast.horizonDays).toBe(58);
    expect(forecast.points).toHaveLength(59);
    expect(forecast.points[0]).toMatchObject({ day: 0, remaining: 50_000, queueLength: 50_000 });
    expect(forecast.points[10]).toMatchObject({ day: 10, remaining: 40_000, queueLength: 45_000 });
    expect(forecast.points[50]).toMatchObject({ remaining: 0, queueLength: 25_000 });
  });

  it("shows four weeks at least, and stops at half a year", () => {
    expect(forecastQueue(basis({ queueLength: 2_000 })).horizonDays).toBe(28);
    expect(forecastQueue(basis({ queueLength: 5_000_000 })).horizonDays).toBe(182);
  });
});

describe("bursty admissions", () => {
  it("spreads a burst over the window: one batch of 7,000 in a week is 1,000 a day", () => {
    // The estimator sees totals: the same week as one burst or as seven equal days.
    expect(admissionPace(basis({ admitted: 7_000 })).perDay).toBe(1_000);
  });

  it("uses the time since activation when the phase is younger than the window, but at least a day", () => {
    expect(windowDays(now, new Date(now.getTime() - 2 * DAY_MS))).toBe(2);
    expect(windowDays(now, new Date(now.getTime() - 3_600_000))).toBe(1);
    expect(windowDays(now, new Date(now.getTime() - 40 * DAY_MS))).toBe(7);
    expect(windowDays(now, null)).toBe(7);
    // A batch of 5,000 an hour after activation reads as 5,000 a day, not 120,000.
    expect(admissionPace(basis({ admitted: 5_000, admissionWindowDays: windowDays(now, new Date(now.getTime() - 3_600_000)) })).perDay).toBe(5_000);
  });
});

describe("capacity-capped", () => {
  it("never assumes more a day than the active phase's daily cap", () => {
    const pace = admissionPace(basis({ admitted: 14_000, phase: { dailyAdmissionCap: 500 } }));
    expect(pace).toMatchObject({ perDay: 500, observedPerDay: 2_000, limitedByDailyCap: true });
    expect(estimatePositionReachedAt(pace, 1_000, now).at).toEqual(inDays(2));
    // A cap above the pace changes nothing.
    expect(admissionPace(basis({ phase: { dailyAdmissionCap: 5_000 } }))).toMatchObject({ perDay: 1_000, limitedByDailyCap: false });
  });

  it("gives no date beyond the phase's remaining capacity, and stops draining there", () => {
    const b = basis({ phase: { capacityLeft: 5_000 } });
    const pace = admissionPace(b);
    expect(estimatePositionReachedAt(pace, 5_000, now)).toEqual({ at: inDays(5), reason: null });
    expect(estimatePositionReachedAt(pace, 5_001, now)).toEqual({ at: null, reason: "beyond_capacity" });
    const forecast = forecastQueue(b);
    expect(forecast.milestones.map((m) => m.estimate.reason)).toEqual([null, "beyond_capacity", "beyond_capacity"]);
    // Five days of admissions, then only arrivals move the queue.
    expect(forecast.points[5]!.remaining).toBe(45_000);
    expect(forecast.points[20]!.remaining).toBe(45_000);
    expect(forecast.points[20]!.queueLength).toBe(45_000 + 20 * 500);
    // The four weeks at least, past the five days of admissions.
    expect(forecast.horizonDays).toBe(28);
    expect(forecastQueue(basis({ phase: { capacityLeft: 40_000 } })).horizonDays).toBe(60);
  });

  it("gives no date after the phase ends", () => {
    const pace = admissionPace(basis({ phase: { endsAt: inDays(3) } }));
    expect(estimatePositionReachedAt(pace, 2_000, now).at).toEqual(inDays(2));
    expect(estimatePositionReachedAt(pace, 4_000, now)).toEqual({ at: null, reason: "after_phase_end" });
    expect(forecastQueue(basis({ phase: { endsAt: inDays(3) } })).points[10]!.remaining).toBe(47_000);
  });

  it("is full: no capacity left means nobody waiting gets in within this phase", () => {
    const pace = admissionPace(basis({ phase: { capacityLeft: 0 } }));
    expect(estimatePositionReachedAt(pace, 1, now)).toEqual({ at: null, reason: "beyond_capacity" });
  });
});

describe("eligibility", () => {
  it("gives no date to someone the active phase would not admit", () => {
    const b = basis({ phase: { countries: ["DE", "AT"], platforms: ["android"] } });
    expect(estimateAdmissionAt(b, { status: "waiting", position: 10, phoneCountry: "FR", platform: "android" })).toEqual({ at: null, reason: "not_eligible" });
    expect(estimateAdmissionAt(b, { status: "waiting", position: 10, phoneCountry: "DE", platform: "ios" })).toEqual({ at: null, reason: "not_eligible" });
    expect(estimateAdmissionAt(b, { status: "waiting", position: 10, phoneCountry: "DE", platform: "android" })?.at).toEqual(new Date(now.getTime() + 0.01 * DAY_MS));
  });
});
