// Rule 6: every registration is screened (accept | hold | reject) with recorded reasons.
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { blockedPhones, policyDecisions, registrations } from "../../db/schema";
import { screenQueuedRegistrations } from "../../lib/policy/screening";
import { positionOf } from "../../lib/registrations/position";
import { registerPhone } from "../../lib/registrations/register";
import { verifyRegistration } from "../../lib/registrations/verify";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertRegistration } from "../helpers/factories";
import { codesSent, latestCode, validMobile } from "../helpers/registrations";

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
  await t.db.execute(sql`update policy_settings set allowed_countries = null, blocked_prefixes = '{}',
    velocity_max_per_ip = 20, velocity_max_per_prefix = 200, velocity_prefix_digits = 6 where id = 1`);
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
    const r = await registerPhone(t.db, { phone: validMobile(), platform: "android", email: "someone@gmail.com" }, { ip: newIp() });
    await screenQueuedRegistrations(t.db);
    expect(await decisionOf(r.registrationId)).toMatchObject({ outcome: "accept", reasons: [] });
    expect((await statusOf(r.registrationId)).review).toBe("clear");
  });

  it("rejects a country that is not allowed (out of the queue)", async () => {
    const r = await registerPhone(t.db, { phone: validMobile(), platform: "android" }, { ip: newIp() });
    await verifyRegistration(t.db, r.registrationId, { code: await latestCode(t.db, r.registrationId) });
    await t.db.execute(sql`update policy_settings set allowed_countries = '{GB,DE}' where id = 1`);
    await screenQueuedRegistrations(t.db);
    expect(await decisionOf(r.registrationId)).toMatchObject({ outcome: "reject", reasons: ["country_not_allowed"] });
    expect(await statusOf(r.registrationId)).toMatchObject({ status: "removed", statusReason: "screening: country_not_allowed" });
    expect(await positionOf(t.db, r.registrationId)).toBeNull();
  });

  it("rejects blocked number prefixes, and never sends them an SMS", async () => {
    const phone = validMobile();
    await t.db.execute(sql`update policy_settings set blocked_prefixes = ${`{${phone.slice(0, 8)}}`}::text[] where id = 1`);
    const r = await registerPhone(t.db, { phone, platform: "android" }, { ip: newIp() });
    expect(await codesSent(t.db, r.registrationId)).toBe(0);
    await screenQueuedRegistrations(t.db);
    expect(await decisionOf(r.registrationId)).toMatchObject({ outcome: "reject", reasons: ["blocked_prefix"] });
    expect((await statusOf(r.registrationId)).status).toBe("removed");
  });

  it("rejects a phone whose hash was blocked meanwhile", async () => {
    const r = await registerPhone(t.db, { phone: validMobile(), platform: "android" }, { ip: newIp() });
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

  it("holds registrations over the per-IP velocity limit, keeping them in the queue", async () => {
    await t.db.execute(sql`update policy_settings set velocity_max_per_ip = 3 where id = 1`);
    const ip = newIp();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await registerPhone(t.db, { phone: validMobile(), platform: "ios" }, { ip })).registrationId);
    await verifyRegistration(t.db, ids[3]!, { code: await latestCode(t.db, ids[3]!) });
    await screenQueuedRegistrations(t.db);
    expect((await decisionOf(ids[2]!)).outcome).toBe("accept");
    expect(await decisionOf(ids[3]!)).toMatchObject({ outcome: "hold", reasons: ["velocity_ip"] });
    expect(await statusOf(ids[3]!)).toMatchObject({ status: "waiting", review: "hold" });
    expect(await positionOf(t.db, ids[3]!)).toEqual(expect.any(Number));
  });

  it("holds registrations over the per-prefix velocity limit", async () => {
    await t.db.execute(sql`update policy_settings set velocity_max_per_prefix = 2, velocity_prefix_digits = 3 where id = 1`);
    // Three numbers sharing +33 + "612" (prefix of 3 national digits), from different addresses.
    const phones = ["+33612000001", "+33612000002", "+33612000003"];
    const ids: string[] = [];
    for (const phone of phones) ids.push((await registerPhone(t.db, { phone, platform: "ios" }, { ip: newIp() })).registrationId);
    await screenQueuedRegistrations(t.db);
    expect(await decisionOf(ids[2]!)).toMatchObject({ outcome: "hold", reasons: ["velocity_prefix"] });
  });

  it("holds disposable e-mail domains", async () => {
    const r = await registerPhone(t.db, { phone: validMobile(), platform: "android", email: "x@mailinator.com" }, { ip: newIp() });
    await screenQueuedRegistrations(t.db);
    expect(await decisionOf(r.registrationId)).toMatchObject({ outcome: "hold", reasons: ["disposable_email"] });
  });

  it("screens each registration exactly once when workers run concurrently", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push((await registerPhone(t.db, { phone: validMobile(), platform: "android" }, { ip: newIp() })).registrationId);
    const results = await Promise.all([1, 2, 3].map(() => screenQueuedRegistrations(t.db, { limit: 12 })));
    const screened = results.flat().map((r) => r.registrationId);
    expect(new Set(screened).size).toBe(screened.length);
    await screenQueuedRegistrations(t.db, { limit: 100 });
    for (const id of ids) await decisionOf(id);
  });
});
