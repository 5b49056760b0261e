// The Overview's figures against a known data set: exact while tables are small, planner
// estimates (flagged) when the exact-count limit is lowered, the per-day series (newest days
// exact, older ones estimated), verified today (queued today, still waiting), the median wait.
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invitations, members } from "../../db/schema";
import { countByValue, countOrEstimate } from "../../lib/stats/estimates";
import { getOverviewActivity } from "../../lib/stats/activity";
import { getOverviewCounts } from "../../lib/stats/overview";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertPhase, insertRegistration } from "../helpers/factories";

let testDb: TestDatabase;
const DAY = 86_400_000;
const now = new Date();
const todayStart = new Date(Math.floor(now.getTime() / DAY) * DAY);
const dayKey = (daysAgo: number) => new Date(todayStart.getTime() - daysAgo * DAY).toISOString().slice(0, 10);

/** `n` registrations in `status`, created `daysAgo` days before today's noon-ish. */
let phoneBlock = 0;
async function bulkRegistrations(status: string, n: number, daysAgo: number) {
  phoneBlock += 1;
  await testDb.db.execute(sql`
    insert into registrations (phone, phone_hash, phone_country, platform, referral_code, status, queued_at, verified_at, created_at)
    select '+3361' || lpad((${phoneBlock * 10_000} + g)::text, 8, '0'), 'bulk:' || gen_random_uuid(), 'FR', 'ios',
           'B' || replace(gen_random_uuid()::text, '-', ''), ${status}::registration_status,
           case when ${status} = 'pending_verification' then null else ${todayStart.toISOString()}::timestamptz - ${daysAgo} * interval '1 day' + interval '1 minute' end,
           case when ${status} in ('pending_verification', 'lapsed') then null else ${todayStart.toISOString()}::timestamptz - ${daysAgo} * interval '1 day' + interval '1 minute' end,
           ${todayStart.toISOString()}::timestamptz - ${daysAgo} * interval '1 day' + interval '30 seconds'
    from generate_series(1, ${n}) as g`);
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  await bulkRegistrations("waiting", 300, 0);
  await bulkRegistrations("waiting", 200, 3);
  await bulkRegistrations("pending_verification", 40, 0);
  await bulkRegistrations("lapsed", 60, 10);
  await bulkRegistrations("waiting", 100, 45); // outside the 30-day window
  const phase = await insertPhase(testDb.db, { status: "active", capacity: 100, activatedAt: new Date() });
  // 5 admitted: verified 2, 4, 6, 8, 10 hours before admission → median wait 6 h.
  for (let i = 1; i <= 5; i++) {
    const verifiedAt = new Date(now.getTime() - 2 * i * 3_600_000 - 60_000);
    const r = await insertRegistration(testDb.db, { status: "admitted", verifiedAt, queuedAt: verifiedAt, createdAt: verifiedAt });
    await testDb.db.insert(invitations).values({
      registrationId: r.id,
      phaseId: phase.id,
      source: "batch",
      status: "redeemed",
      codeHash: randomBytes(16).toString("hex"),
      expiresAt: new Date(now.getTime() + DAY),
      redeemedAt: new Date(now.getTime() - 60_000),
    });
    await testDb.db.insert(members).values({ registrationId: r.id, phaseId: phase.id, tokenHash: randomBytes(16).toString("hex"), admittedAt: new Date(now.getTime() - 60_000) });
  }
  for (const status of ["sent", "sent", "expired"] as const) {
    const r = await insertRegistration(testDb.db, { status: status === "sent" ? "invited" : "expired" });
    await testDb.db.insert(invitations).values({
      registrationId: r.id,
      phaseId: phase.id,
      source: "batch",
      status,
      codeHash: randomBytes(16).toString("hex"),
      expiresAt: new Date(now.getTime() + (status === "sent" ? DAY : -DAY)),
    });
  }
  // ANALYZE is the owner's (autovacuum's, in production).
  await testDb.owner`analyze registrations, invitations, members`;
});
afterAll(async () => {
  await testDb.drop();
});

describe("overview counts", () => {
  it("counts exactly while the tables are small, waiting from waitlist_counts", async () => {
    const counts = await getOverviewCounts(testDb.db);
    expect(counts.registrationsExact).toBe(true);
    expect(counts.waiting).toBe(600);
    expect(counts.registrations).toMatchObject({ waiting: 600, pending_verification: 40, lapsed: 60, admitted: 5, invited: 2, expired: 1, blocked: 0 });
    expect(counts.registrationsTotal).toBe(708);
    expect(counts).toMatchObject({ members: 5, membersExact: true, invitationsExact: true });
    expect(counts.invitations).toMatchObject({ redeemed: 5, sent: 2, expired: 1, pending: 0, revoked: 0 });
    expect(counts.activePhase).toMatchObject({ capacity: 100, admitted: 5, admittedExact: true });
    expect(counts.phases.active).toBe(1);
  });

  it("switches to planner estimates beyond the limit, flagged, close to the truth after ANALYZE", async () => {
    const estimated = await countByValue(testDb.db, "registrations", "status", ["waiting", "lapsed", "blocked"] as const, 0);
    expect(estimated.exact).toBe(false);
    // ANALYZE samples a table this small completely: the most-common-values list is exact.
    expect(Math.abs(estimated.counts.waiting - 600)).toBeLessThanOrEqual(6);
    expect(Math.abs(estimated.counts.lapsed - 60)).toBeLessThanOrEqual(2);
    expect(estimated.counts.blocked).toBeLessThanOrEqual(1);

    const exact = await countOrEstimate(testDb.db, sql`select 1 from registrations where status = 'lapsed'`);
    expect(exact).toEqual({ value: 60, exact: true });
    const estimate = await countOrEstimate(testDb.db, sql`select 1 from registrations`, 10);
    expect(estimate.exact).toBe(false);
    expect(Math.abs(estimate.value - 708)).toBeLessThanOrEqual(10);
  });
});

describe("overview activity", () => {
  it("gives exact per-day series, verified today and the median wait on small tables", async () => {
    const activity = await getOverviewActivity(testDb.db, { days: 30, now });
    expect(activity.days).toHaveLength(30);
    expect(activity.days.at(-1)!.day).toBe(dayKey(0));
    expect(activity.days.every((d) => d.registrationsExact && d.admissionsExact)).toBe(true);
    const byDay = new Map(activity.days.map((d) => [d.day, d]));
    // Today: 300 waiting + 40 pending + the admitted/invited rows created today (some factory
    // rows may be created "now" on today's date; admitted ones were verified within 10 h).
    const createdToday = await testDb.db.execute<{ n: number }>(
      sql`select count(*)::int as n from registrations where created_at >= ${todayStart.toISOString()}::timestamptz`,
    );
    expect(byDay.get(dayKey(0))!.registrations).toBe(createdToday[0]!.n);
    expect(byDay.get(dayKey(3))!.registrations).toBe(200);
    expect(byDay.get(dayKey(10))!.registrations).toBe(60);
    expect(activity.days.reduce((s, d) => s + d.admissions, 0)).toBe(5);
    expect(activity.medianWaitSample).toBe(5);
    expect(Math.abs(activity.medianWaitSeconds! - 6 * 3600)).toBeLessThan(5);
    // Verified today and still waiting: the 300 bulk rows queued today (waitlist_counts).
    expect(activity.verifiedToday).toBe(300);
  });

  it("counts the newest days exactly within the row budget and estimates older days", async () => {
    // A budget of 400 rows: today (~350), day −1 (at most the admitted five) and the empty day −2 fit; day −3 (200) does not.
    const activity = await getOverviewActivity(testDb.db, { days: 30, now, exactLimit: 400 });
    const byDay = new Map(activity.days.map((d) => [d.day, d]));
    // Counted here too: before 10:01 UTC some of the admitted five were created yesterday.
    const createdOn = async (daysAgo: number) =>
      (
        await testDb.db.execute<{ n: number }>(
          sql`select count(*)::int as n from registrations
              where created_at >= ${todayStart.toISOString()}::timestamptz - ${daysAgo} * interval '1 day'
                and created_at < ${todayStart.toISOString()}::timestamptz - ${daysAgo - 1} * interval '1 day'`,
        )
      )[0]!.n;
    expect(byDay.get(dayKey(0))).toMatchObject({ registrations: await createdOn(0), registrationsExact: true });
    expect(byDay.get(dayKey(1))).toMatchObject({ registrations: await createdOn(1), registrationsExact: true });
    expect(byDay.get(dayKey(2))).toMatchObject({ registrations: 0, registrationsExact: true });
    expect(byDay.get(dayKey(3))!.registrationsExact).toBe(false);
    expect(byDay.get(dayKey(10))!.registrationsExact).toBe(false);
    // Estimates come from the column histogram: in the right neighbourhood, flagged.
    expect(byDay.get(dayKey(3))!.registrations).toBeGreaterThan(100);
    expect(byDay.get(dayKey(3))!.registrations).toBeLessThan(300);
    // The exact range is one contiguous run of the newest days.
    const firstExact = activity.days.findIndex((d) => d.registrationsExact);
    expect(activity.days.slice(firstExact).every((d) => d.registrationsExact)).toBe(true);
    expect(firstExact).toBe(27);
  });
});
