// The SMS statistics job: signals folded into 5-minute buckets exactly once, prefixes whose
// conversion collapsed held (and not re-held by the hour that held them once released), and the
// Policy page's overview of budgets, holds and 24 hours of sends vs verifications.
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, smsPrefixHolds, smsSendStats } from "../../db/schema";
import { aggregateSmsStats } from "../../lib/policy/aggregate-sms-stats";
import { getSmsOverview } from "../../lib/policy/get-sms-overview";
import { holdCollapsedPrefixes } from "../../lib/policy/hold-collapsed-prefixes";
import { loadPolicySnapshot } from "../../lib/policy/load-policy-snapshot";
import { releasePrefixHold } from "../../lib/policy/release-prefix-hold";
import { getRateLimiter } from "../../lib/rate-limit/rate-limiter";
import { registerPhone } from "../../lib/registrations/register";
import { verifyRegistration } from "../../lib/registrations/verify";
import { insertStaff } from "../helpers/factories";
import { withPolicy } from "../helpers/policy";
import { usePublicApiTestServices } from "../helpers/public-api";
import { latestCode } from "../helpers/registrations";

const t = usePublicApiTestServices();

/** The job runs later than the signals it folds (it stays 30 s behind now). */
const later = () => new Date(Date.now() + 60_000);

/**
 * Each test plays one job run a minute after its signals; a previous test's run in the future
 * would leave them behind its progress mark, so start each from "last run just before now".
 */
async function jobLastRanNow(): Promise<void> {
  await t.db.execute(sql`update sms_stats_progress set processed_until = now() - interval '1 second' where id = 1`);
}

let block = 1000 + Math.floor(Math.random() * 4000);
/** `count` numbers of one new 6-digit prefix, "+3361" + 4 digits. */
function prefixNumbers(count: number): { prefix: string; phones: string[] } {
  block += 1;
  return { prefix: `+3361${block}`, phones: Array.from({ length: count }, (_, i) => `+3361${block}${String(i).padStart(3, "0")}`) };
}

/** Registers every phone (a code each) and verifies the first `verified` of them. */
async function sendAndVerify(phones: string[], verified: number): Promise<void> {
  for (const [i, phone] of phones.entries()) {
    const { registrationId } = await registerPhone(t.db, { phone, platform: "android" }, { ip: null });
    if (i < verified) await verifyRegistration(t.db, registrationId, { code: await latestCode(t.db, registrationId) });
  }
}

async function statsOf(prefixValue: string) {
  const [row] = await t.db
    .select({ sends: sql<number>`sum(${smsSendStats.sends})::int`, verifications: sql<number>`sum(${smsSendStats.verifications})::int` })
    .from(smsSendStats)
    .where(eq(smsSendStats.prefix, prefixValue));
  return row!;
}

describe("SMS statistics", () => {
  it("folds each signal once: sends and verifications per bucket, country and prefix", async () => {
    await jobLastRanNow();
    const { prefix: p, phones } = prefixNumbers(5);
    await sendAndVerify(phones, 3);
    // Too recent for a run at the present time: a slow commit could still land behind it.
    await aggregateSmsStats(t.db);
    expect(await statsOf(p)).toEqual({ sends: null, verifications: null });
    expect(await aggregateSmsStats(t.db, later())).toBeGreaterThan(0);
    expect(await statsOf(p)).toEqual({ sends: 5, verifications: 3 });
    // A second run folds nothing twice.
    await aggregateSmsStats(t.db, new Date(later().getTime() + 1000));
    expect(await statsOf(p)).toEqual({ sends: 5, verifications: 3 });
    const [row] = await t.db.select().from(smsSendStats).where(eq(smsSendStats.prefix, p));
    expect(row).toMatchObject({ country: "FR" });
    expect(row!.bucket.getTime() % 300_000).toBe(0);
  });

  it("holds a prefix whose conversion collapsed, with its reason; a release is judged on new codes only", async () => {
    await withPolicy(t.db, { prefixHoldMinSends: 10, prefixHoldMaxVerifiedPct: 20 }, async () => {
      await jobLastRanNow();
      const pumped = prefixNumbers(12);
      const honest = prefixNumbers(12);
      const quiet = prefixNumbers(6);
      await sendAndVerify(pumped.phones, 1);
      await sendAndVerify(honest.phones, 9);
      await sendAndVerify(quiet.phones, 0);
      const now = later();
      await aggregateSmsStats(t.db, now);
      const held = await holdCollapsedPrefixes(t.db, now);
      // 1 of 12 verified is under 20 %; 9 of 12 is not; 6 codes are too few to judge.
      expect(held.map((h) => h.prefix)).toEqual([pumped.prefix]);
      const [hold] = await t.db.select().from(smsPrefixHolds).where(eq(smsPrefixHolds.prefix, pumped.prefix));
      expect(hold).toMatchObject({ status: "held", country: "FR", sends: 12, verified: 1 });
      expect(hold!.reason).toContain("1 of 12 codes verified (8.3 %)");
      const [audit] = await t.db.select().from(auditEvents).where(eq(auditEvents.targetId, pumped.prefix));
      expect(audit).toMatchObject({ action: "policy.prefix_hold", actorLabel: "system" });
      expect((await loadPolicySnapshot(t.db)).heldPrefixes.has(pumped.prefix)).toBe(true);

      // Released: the hour that held it does not hold it again…
      await releasePrefixHold(t.db, await insertStaff(t.db, "admin"), { prefix: pumped.prefix });
      expect(await holdCollapsedPrefixes(t.db, now)).toEqual([]);
      expect((await loadPolicySnapshot(t.db)).heldPrefixes.has(pumped.prefix)).toBe(false);
      // …new codes that nobody verifies do (the bucket after the release).
      const inFiveMinutes = new Date(now.getTime() + 300_000);
      await t.db.insert(smsSendStats).values({ bucket: new Date(Math.ceil(inFiveMinutes.getTime() / 300_000) * 300_000), country: "FR", prefix: pumped.prefix, sends: 10 });
      expect((await holdCollapsedPrefixes(t.db, new Date(inFiveMinutes.getTime() + 300_000))).map((h) => h.prefix)).toEqual([pumped.prefix]);
    });
  });

  it("gives the Policy page budgets with their use, holds, and 24 hours per hour, country and prefix", async () => {
    await jobLastRanNow();
    const { prefix: p, phones } = prefixNumbers(4);
    await sendAndVerify(phones, 2);
    await aggregateSmsStats(t.db, later());
    const viewer = await insertStaff(t.db, "product");
    const { settings } = await loadPolicySnapshot(t.db);
    const overview = await getSmsOverview(t.db, viewer, { settings, limiter: getRateLimiter() });
    expect(overview.hourly).toHaveLength(24);
    expect(overview.hourly.at(-1)!.hour.getTime()).toBe(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    const totals = overview.hourly.reduce((sum, h) => ({ sends: sum.sends + h.sends, verifications: sum.verifications + h.verifications }), { sends: 0, verifications: 0 });
    const france = overview.countries.find((c) => c.country === "FR")!;
    expect(france).toEqual({ country: "FR", ...totals });
    expect(overview.prefixes.find((row) => row.prefix === p)).toEqual({ prefix: p, country: "FR", sends: 4, verifications: 2 });
    expect(overview.budgets.global.budget).toBe(settings.smsBudgetGlobalPerMinute);
    // The prefix held again by the previous test.
    expect(overview.holds.filter((h) => h.status === "held")).toHaveLength(1);
    // registerPhone was called without Redis counts here: the live counters are untouched.
    expect(overview.budgets.countries[0]).toMatchObject({ scope: "FR", used: 0, budget: settings.smsBudgetCountryPerHour });
  });
});
