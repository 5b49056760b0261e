// One phase's page figures (lib/stats/phase-report.ts) against rows whose answer is known.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InvitationStatus, Phase } from "../../db/schema";
import { changeQuota } from "../../lib/members/quota";
import { DAY_MS } from "../../lib/stats/admission-forecast";
import { getPhaseReport } from "../../lib/stats/phase-report";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertInvitation, insertMember, insertPhase } from "../helpers/factories";

let t: TestDatabase;
let phase: Phase;
let other: Phase;
// Noon UTC, so "today" and "n days ago" never straddle midnight while the test runs.
const today = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS + DAY_MS / 2);
const daysAgo = (days: number) => new Date(today.getTime() - days * DAY_MS);
const day = (days: number) => daysAgo(days).toISOString().slice(0, 10);

const invitation = (phaseId: string, status: InvitationStatus, createdAt: Date) => insertInvitation(t.db, { phaseId, status, createdAt });
const member = (p: Phase, admittedAt: Date, options: { viaInvitation: boolean }) => insertMember(t.db, p, { admittedAt, direct: !options.viaInvitation });

beforeAll(async () => {
  t = await createTestDatabase();
  phase = await insertPhase(t.db, { status: "active", activatedAt: daysAgo(4), capacity: 50, dailyAdmissionCap: 10, memberInviteQuota: 2 });
  other = await insertPhase(t.db, { status: "closed", activatedAt: daysAgo(40), closedAt: daysAgo(30), memberInviteQuota: 1 });
  // Admitted: 2 four days ago, 1 two days ago, 3 today (one of them directly, as an open phase does).
  const admitted = [
    await member(phase, daysAgo(4), { viaInvitation: true }),
    await member(phase, daysAgo(4), { viaInvitation: true }),
    await member(phase, daysAgo(2), { viaInvitation: true }),
    await member(phase, today, { viaInvitation: true }),
    await member(phase, today, { viaInvitation: true }),
    await member(phase, today, { viaInvitation: false }),
  ];
  // Quota: each got 2 at admission; one sent 2 invites (one refunded), one got a grant of 5.
  await t.db.transaction(async (tx) => {
    await changeQuota(tx, { memberId: admitted[0]!.id, delta: -1, reason: "invite_sent", actor: "test" });
    await changeQuota(tx, { memberId: admitted[0]!.id, delta: -1, reason: "invite_sent", actor: "test" });
    await changeQuota(tx, { memberId: admitted[0]!.id, delta: 1, reason: "invite_refund", actor: "test" });
    await changeQuota(tx, { memberId: admitted[1]!.id, delta: 5, reason: "grant", actor: "test" });
    await changeQuota(tx, { memberId: admitted[2]!.id, delta: -2, reason: "invite_sent", actor: "test" });
  });
  // Outstanding and settled invitations of the phase (besides the 5 redeemed above).
  await invitation(phase.id, "sent", today);
  await invitation(phase.id, "pending", daysAgo(1));
  await invitation(phase.id, "expired", daysAgo(3));
  await invitation(phase.id, "revoked", today);
  // Another phase's rows count nowhere here.
  await member(other, daysAgo(35), { viaInvitation: true });
  await invitation(other.id, "expired", daysAgo(33));
});
afterAll(async () => {
  await t.drop();
});

describe("phase report", () => {
  it("draws admissions per day since activation with the running total", async () => {
    const report = await getPhaseReport(t.db, phase, today);
    expect(report.admitted).toBe(6);
    expect(report.days).toEqual([
      { day: day(4), admitted: 2, total: 2 },
      { day: day(3), admitted: 0, total: 2 },
      { day: day(2), admitted: 1, total: 3 },
      { day: day(1), admitted: 0, total: 3 },
      { day: day(0), admitted: 3, total: 6 },
    ]);
  });

  it("counts invitations by status, the redemption rate and the use of capacity and daily cap", async () => {
    const report = await getPhaseReport(t.db, phase, today);
    expect(report.invitations).toEqual({ pending: 1, sent: 1, redeemed: 5, expired: 1, revoked: 1 });
    // Redeemed of those that ran their course: 5 of 7.
    expect(report.redemptionRate).toBeCloseTo(5 / 7);
    // Capacity: 6 members + 2 live invitations. Today: 2 redeemed + 1 sent invitation issued today
    // (the revoked one gave its place back) + 1 direct admission.
    expect(report.capacityUsed).toBe(8);
    expect(report.admittedToday).toBe(4);
  });

  it("sums the members' balances and ledger by reason; the ledger adds up to the balances", async () => {
    const { quota } = await getPhaseReport(t.db, phase, today);
    expect(quota).toEqual({
      members: 6,
      balance: 12 - 3 + 5,
      exhausted: 1,
      ledger: { phase_topup: 12, grant: 5, invite_sent: -4, invite_refund: 1, adjustment: 0 },
    });
    expect(Object.values(quota.ledger).reduce((a, b) => a + b, 0)).toBe(quota.balance);
  });

  it("draws nothing for a phase that never opened", async () => {
    const draft = await insertPhase(t.db, { status: "draft" });
    const report = await getPhaseReport(t.db, draft, today);
    expect(report).toMatchObject({ admitted: 0, days: [], redemptionRate: null, capacityUsed: 0, admittedToday: 0 });
  });

  it("ends a closed phase's days at its close", async () => {
    const report = await getPhaseReport(t.db, other, today);
    expect(report.days[0]).toEqual({ day: day(40), admitted: 0, total: 0 });
    expect(report.days.at(-1)).toEqual({ day: day(30), admitted: 0, total: 1 });
    expect(report.days).toHaveLength(11);
  });
});
