// Rule 6: every registration is screened (accept | hold | reject) with recorded reasons.
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { blockedPhones, policyDecisions, registrations } from "../../db/schema";
import { screenQueuedRegistrations } from "../../lib/policy/screening";
import { positionOf } from "../../lib/registrations/position";
import { registerPhone } from "../../lib/registrations/register";
import { verifyRegistration } from "../../lib/registrations/verify";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { setPolicy } from "../helpers/policy";
import { insertRegistration, uniqueMobile } from "../helpers/factories";
import { codesSent, latestCode } from "../helpers/registrations";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});
beforeEach(async () => {
  // Screen whatever earlier tests left, then restore the default policy.
  await screenQueuedRegistrations(t.db, { limit: 10_000 });
  await setPolicy(t.db, { allowedCountries: null, blockedPrefixes: [], velocityMaxPerIp: 20, velocityMaxPerPrefix: 200, velocityPrefixDigits: 6 });
});

let ipCounter = 0;
const newIp = () => `192.0.2.${++ipCounter}`;

async function decisionOf(registrationId: string) {
  const rows = await t.db
    .select()
    .from(policyDecisions)
    .where(and(eq(policyDecisions.registrationId, registrationId), eq(policyDecisions.kind, "screening")));
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

async function statusOf(id: string) {
  return (await t.db.select().from(registrations).where(eq(registrations.id, id)))[0]!;
}

describe("screening", () => {
  it("accepts an ordinary registration", async () => {
    const r = await registerPhone(t.db, { phone: uniqueMobile(), platform: "android", email: "someone@gmail.com" }, { ip: newIp() });
    await screenQueuedRegistrations(t.db);
    expect(await decisionOf(r.registrationId)).toMatchObject({ outcome: "accept", reasons: [] });
    expect((await statusOf(r.registrationId)).review).toBe("clear");
  });

  it("rejects a country that is not allowed (out of the queue)", async () => {
    const r = await registerPhone(t.db, { phone: uniqueMobile(), platform: "android" }, { ip: newIp() });
    await verifyRegistration(t.db, r.registrationId, { code: await latestCode(t.db, r.registrationId) });
    await setPolicy(t.db, { allowedCountries: ["GB", "DE"] });
    await screenQueuedRegistrations(t.db);
    expect(await decisionOf(r.registrationId)).toMatchObject({ outcome: "reject", reasons: ["country_not_allowed"] });
    expect(await statusOf(r.registrationId)).toMatchObject({ status: "removed", statusReason: "screening: country_not_allowed" });
    expect(await positionOf(t.db, r.registrationId)).toBeNull();
  });

  it("rejects blocked number prefixes, and never sends them an SMS", async () => {
    const phone = uniqueMobile();
    await setPolicy(t.db, { blockedPrefixes: [phone.slice(0, 8)] });
    const r = await registerPhone(t.db, { phone, platform: "android" }, { ip: newIp() });
    expect(await codesSent(t.db, r.registrationId)).toBe(0);
    await screenQueuedRegistrations(t.db);
    expect(await decisionOf(r.registrationId)).toMatchObject({ outcome: "reject", reasons: ["blocked_prefix"] });
    expect((await statusOf(r.registrationId)).status).toBe("removed");
  });

  it("rejects a phone whose hash was blocked meanwhile", async () => {
    const r = await registerPhone(t.db, { phone: uniqueMobile(), platform: "android" }, { ip: newIp() });
    const { phoneHash } = await statusOf(r.registrationId);
    await t.db.insert(blockedPhones).values({ phoneHash, reason: "known fraud" });
    await screenQueuedRegistrations(t.db);
    expect(await decisionOf(r.registrationId)).toMatchObject({ outcome: "reject", reasons: ["blocked_phone_hash"] });
  });

  it("rejects invalid and non-mobile numbers that reached the table another way", async () => {
    const invalid = await insertRegistration(t.db, { phone: "+33639000000", status: "waiting" });
    const landline = await insertRegistration(t.db, { phone: "+33142685300", status: "waiting" });
    await t.db.execute(sql`insert into screening_queue (registration_id) values (${invalid.id}), (${landline.id})`);
    await screenQueuedRegistrations(t.db);
    expect(await decisionOf(invalid.id)).toMatchObject({ outcome: "reject", reasons: ["invalid_number"] });
    expect(await decisionOf(landline.id)).toMatchObject({ outcome: "reject", reasons: ["not_mobile"] });
  });

  it("holds what the request path refused for velocity, taking its counted verdict over", async () => {
    await setPolicy(t.db, { velocityMaxPerIp: 3, velocityMaxPerPrefix: 2 });
    // The counts the public endpoint read from Redis (count-registration-attempt.ts) for this attempt.
    const counts = { velocity: { ip: 4, prefix: 3 }, budgets: null, refundBudgets: () => {} };
    const refused = await registerPhone(t.db, { phone: uniqueMobile(), platform: "ios" }, { ip: newIp(), counts });
    const quiet = await registerPhone(t.db, { phone: uniqueMobile(), platform: "ios" }, { ip: newIp(), counts: { ...counts, velocity: { ip: 3, prefix: 2 } } });
    expect(await codesSent(t.db, refused.registrationId)).toBe(0);
    expect(await codesSent(t.db, quiet.registrationId)).toBe(1);
    await screenQueuedRegistrations(t.db);
    expect(await decisionOf(refused.registrationId)).toMatchObject({ outcome: "hold", reasons: ["velocity_ip", "velocity_prefix"] });
    expect(await statusOf(refused.registrationId)).toMatchObject({ status: "pending_verification", review: "hold" });
    expect((await decisionOf(quiet.registrationId)).outcome).toBe("accept");
  });

  it("holds disposable e-mail domains", async () => {
    const r = await registerPhone(t.db, { phone: uniqueMobile(), platform: "android", email: "x@mailinator.com" }, { ip: newIp() });
    await screenQueuedRegistrations(t.db);
    expect(await decisionOf(r.registrationId)).toMatchObject({ outcome: "hold", reasons: ["disposable_email"] });
  });

  it("screens each registration exactly once when workers run concurrently", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push((await registerPhone(t.db, { phone: uniqueMobile(), platform: "android" }, { ip: newIp() })).registrationId);
    const results = await Promise.all([1, 2, 3].map(() => screenQueuedRegistrations(t.db, { limit: 12 })));
    const screened = results.flat().map((r) => r.registrationId);
    expect(new Set(screened).size).toBe(screened.length);
    await screenQueuedRegistrations(t.db, { limit: 100 });
    for (const id of ids) await decisionOf(id);
  });
});
