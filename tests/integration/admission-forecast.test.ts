// The forecast's figures as the database gives them (lib/stats/forecast-basis.ts), the public
// estimatedAdmissionAt of /me and verify, and the per-process cache that keeps those cheap.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InvitationStatus, Phase, Registration } from "../../db/schema";
import { positionOf } from "../../lib/registrations/position";
import { registerPhone } from "../../lib/registrations/register";
import { registrationStatus } from "../../lib/registrations/status";
import { verifyRegistration } from "../../lib/registrations/verify";
import { DAY_MS } from "../../lib/stats/admission-forecast";
import { cachedForecastBasis, readForecastBasis } from "../../lib/stats/forecast-basis";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertInvitation, insertPhase, insertRegistration, uniqueMobile } from "../helpers/factories";
import { latestCode } from "../helpers/registrations";

let t: TestDatabase;
let active: Phase;
let waiting: Registration[];
const now = new Date();
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);

const invitation = (phaseId: string, status: InvitationStatus, createdAt: Date) => insertInvitation(t.db, { phaseId, status, createdAt });

beforeAll(async () => {
  t = await createTestDatabase();
  const old = await insertPhase(t.db, { status: "closed", activatedAt: daysAgo(60), closedAt: daysAgo(31) });
  active = await insertPhase(t.db, { status: "active", activatedAt: daysAgo(30), capacity: 100, kind: "closed" });
  waiting = [];
  for (let i = 0; i < 12; i++) waiting.push(await insertRegistration(t.db, { queuedAt: daysAgo(20 - i) }));
  // In the window: 14 issued (pending, sent, redeemed, expired) = 2 a day; revoked ones gave their place back.
  for (const [status, n] of [["pending", 3], ["sent", 5], ["redeemed", 4], ["expired", 2]] as const) {
    for (let i = 0; i < n; i++) await invitation(active.id, status, daysAgo(1 + (i % 6)));
  }
  for (const person of waiting.slice(0, 3)) await insertInvitation(t.db, { phaseId: active.id, status: "revoked", createdAt: daysAgo(2), registrationId: person.id });
  // Outside the window, or another phase: not counted.
  for (let i = 0; i < 4; i++) await invitation(active.id, "redeemed", daysAgo(10));
  for (let i = 0; i < 3; i++) await invitation(old.id, "sent", daysAgo(2));
});
afterAll(async () => {
  await t.drop();
});

describe("the basis", () => {
  it("counts the queue, recent arrivals, the active phase's admissions in the window and its capacity left", async () => {
    const basis = await readForecastBasis(t.db, now);
    // The 12 queued 9 to 20 days ago (the invitations' registrations are not waiting).
    expect(basis.queueLength).toBe(12);
    expect(basis.joined).toBe(0);
    expect(basis.admitted).toBe(14);
    expect(basis.admissionWindowDays).toBe(7);
    // Capacity 100 − live invitations of the phase (3 pending + 5 sent) − members (none).
    expect(basis.activePhase).toMatchObject({ id: active.id, capacityLeft: 92, dailyAdmissionCap: null });
  });

  it("counts arrivals of the last 7 days that still wait", async () => {
    const late = await insertRegistration(t.db, { queuedAt: daysAgo(2) });
    try {
      const basis = await readForecastBasis(t.db, now);
      expect(basis.queueLength).toBe(13);
      expect(basis.joined).toBe(1);
    } finally {
      await t.sql`update registrations set status = 'removed' where id = ${late.id}`;
    }
  });

  it("keeps one read a minute per process, and a fresh one on request", async () => {
    const first = cachedForecastBasis(t.db);
    expect(cachedForecastBasis(t.db)).toBe(first);
    const before = await first;
    await invitation(active.id, "sent", daysAgo(1));
    expect((await cachedForecastBasis(t.db)).admitted).toBe(before.admitted);
    expect((await cachedForecastBasis(t.db, 0)).admitted).toBe(before.admitted + 1);
  });
});

describe("estimatedAdmissionAt", () => {
  it("/me: a waiting person's estimate follows the pace; others have none", async () => {
    const basis = await cachedForecastBasis(t.db, 0);
    const pacePerDay = basis.admitted / basis.admissionWindowDays;
    const person = waiting[5]!;
    const position = (await positionOf(t.db, person.id))!;
    const status = await registrationStatus(t.db, person);
    const estimate = new Date(status.estimatedAdmissionAt!).getTime();
    const expected = Date.now() + (position / pacePerDay) * DAY_MS;
    expect(Math.abs(estimate - expected)).toBeLessThan(5_000);

    const invited = await insertRegistration(t.db, { status: "invited" });
    expect((await registrationStatus(t.db, invited)).estimatedAdmissionAt).toBeNull();
  });

  it("verify: carries the estimate of the new place", async () => {
    const registered = await registerPhone(t.db, { phone: uniqueMobile(), platform: "ios" }, { ip: null });
    const verified = await verifyRegistration(t.db, registered.registrationId, { code: await latestCode(t.db, registered.registrationId) });
    expect(verified.status).toBe("waiting");
    expect(verified.estimatedAdmissionAt).toEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/));
    expect(new Date(verified.estimatedAdmissionAt!).getTime()).toBeGreaterThan(Date.now());
  });

  it("is null when the active phase would not admit the person", async () => {
    await t.sql`update phases set countries = ${["DE"]} where id = ${active.id}`;
    try {
      await cachedForecastBasis(t.db, 0);
      expect((await registrationStatus(t.db, waiting[0]!)).estimatedAdmissionAt).toBeNull();
    } finally {
      await t.sql`update phases set countries = null where id = ${active.id}`;
      await cachedForecastBasis(t.db, 0);
    }
  });

  it("is null without a basis: no admissions in the window", async () => {
    await t.sql`update invitations set created_at = created_at - interval '30 days' where phase_id = ${active.id}`;
    try {
      await cachedForecastBasis(t.db, 0);
      expect((await registrationStatus(t.db, waiting[0]!)).estimatedAdmissionAt).toBeNull();
    } finally {
      await t.sql`update invitations set created_at = created_at + interval '30 days' where phase_id = ${active.id}`;
      await cachedForecastBasis(t.db, 0);
    }
  });
});
