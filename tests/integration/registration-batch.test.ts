// Registrations under load go to PostgreSQL in batches (lib/registrations/registration-batch.ts).
// A batch mixes every kind of attempt; each must come out exactly as it would alone: one live
// registration per phone, every attempt recorded, one code per attempt that sends one.
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blockedPhones, notifications, policyDecisions, registrationSignals, registrations, screeningQueue } from "../../db/schema";
import { loadPhoneHashSalt, phoneHash } from "../../lib/phone-hash";
import { registerPhone } from "../../lib/registrations/register";
import { insertNewRegistrations, type NewRegistrationRow } from "../../lib/registrations/registration-batch";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { uniqueMobile } from "../helpers/factories";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

const register = (phone: string, extra: { referralCode?: string } = {}) =>
  registerPhone(t.db, { phone, platform: "android", ...extra }, { ip: "198.51.100.7", counts: null });

describe("batched registration", () => {
  it("300 concurrent attempts of every kind: one live registration per phone, every attempt recorded", async () => {
    const salt = await loadPhoneHashSalt(t.db);
    const known = Array.from({ length: 30 }, uniqueMobile);
    const knownIds = new Map<string, string>();
    for (const phone of known) knownIds.set(phone, (await register(phone)).registrationId);
    const referrer = await register(uniqueMobile());
    const [{ referralCode } = { referralCode: "" }] = await t.db
      .select({ referralCode: registrations.referralCode })
      .from(registrations)
      .where(eq(registrations.id, referrer.registrationId));
    const blocked = Array.from({ length: 10 }, uniqueMobile);
    await t.db.insert(blockedPhones).values(blocked.map((phone) => ({ phoneHash: phoneHash(salt, phone), reason: "test" })));

    const fresh = Array.from({ length: 200 }, uniqueMobile);
    const racing = Array.from({ length: 10 }, uniqueMobile); // each registered 4 times at once
    const referred = Array.from({ length: 20 }, uniqueMobile);
    const attempts: { phone: string; referralCode?: string }[] = [
      ...fresh.map((phone) => ({ phone })),
      ...racing.flatMap((phone) => [{ phone }, { phone }, { phone }, { phone }]),
      ...known.map((phone) => ({ phone })),
      ...blocked.map((phone) => ({ phone })),
      ...referred.map((phone) => ({ phone, referralCode })),
    ];
    const signalsBefore = await t.db.$count(registrationSignals);
    const answers = await Promise.all(attempts.map((a) => register(a.phone, { referralCode: a.referralCode })));
    expect(answers).toHaveLength(300);
    for (const answer of answers) expect(answer.status).toBe("pending_verification");

    // Same phone, same registration: the racing attempts and the re-registrations.
    const idsOf = (phone: string) => answers.filter((_, i) => attempts[i]!.phone === phone).map((a) => a.registrationId);
    for (const phone of racing) expect(new Set(idsOf(phone)).size).toBe(1);
    for (const phone of known) expect(idsOf(phone)).toEqual([knownIds.get(phone)]);

    const newPhones = [...fresh, ...racing, ...referred];
    const live = await t.db
      .select({ id: registrations.id, phone: registrations.phone, referredBy: registrations.referredBy })
      .from(registrations)
      .where(inArray(registrations.phone, [...newPhones, ...blocked]));
    expect(live).toHaveLength(newPhones.length); // blocked phones get no row
    expect(live.filter((r) => r.referredBy === referrer.registrationId)).toHaveLength(referred.length);
    const newIds = live.map((r) => r.id);
    expect(await t.db.$count(screeningQueue, inArray(screeningQueue.registrationId, newIds))).toBe(newIds.length);

    // Every attempt has its signal; every attempt but the blocked ones sent a code.
    expect((await t.db.$count(registrationSignals)) - signalsBefore).toBe(300);
    const codes = await t.db
      .select({ registrationId: notifications.registrationId, n: sql<number>`count(*)::int` })
      .from(notifications)
      .where(and(eq(notifications.kind, "verification_code"), inArray(notifications.registrationId, [...newIds, ...knownIds.values()])))
      .groupBy(notifications.registrationId);
    const sent = new Map(codes.map((c) => [c.registrationId, c.n]));
    for (const phone of racing) expect(sent.get(idsOf(phone)[0]!)).toBe(4);
    for (const phone of known) expect(sent.get(knownIds.get(phone)!)).toBe(2);
    for (const phone of fresh) expect(sent.get(idsOf(phone)[0]!)).toBe(1);
    expect(await t.db.$count(policyDecisions, eq(policyDecisions.kind, "blocked_phone_refused"))).toBe(blocked.length);
  });

  it("a row whose phone was registered meanwhile is skipped with everything it carries", async () => {
    const taken = uniqueMobile();
    const winner = await register(taken);
    const row = (phone: string): NewRegistrationRow => ({
      id: crypto.randomUUID(),
      phone,
      phone_hash: `test:${phone}`,
      phone_country: "FR",
      email: null,
      platform: "ios",
      locale: "en",
      referral_code: `B${crypto.randomUUID().slice(0, 7).toUpperCase()}`,
      referred_by: null,
      legacy_claim: false,
      review: "clear",
      signup_ip: null,
      created_at: new Date().toISOString(),
      verification_code_hash: null,
      verification_expires_at: new Date(Date.now() + 600_000).toISOString(),
      phone_prefix: phone.slice(0, 6),
      code_sent: true,
      decisions: [{ kind: "legacy_claim_ignored", reasons: [], details: { fields: ["legacyId"] } }],
      notification: { secret: "123456", params: {} },
    });
    const stale = row(taken);
    const other = row(uniqueMobile());
    const inserted = await insertNewRegistrations(t.db, [stale, other]);
    expect([...inserted]).toEqual([other.id]);
    for (const [id, expected] of [
      [stale.id, 0],
      [other.id, 1],
    ] as const) {
      expect(await t.db.$count(screeningQueue, eq(screeningQueue.registrationId, id))).toBe(expected);
      expect(await t.db.$count(registrationSignals, eq(registrationSignals.registrationId, id))).toBe(expected);
      expect(await t.db.$count(policyDecisions, eq(policyDecisions.registrationId, id))).toBe(expected);
      expect(await t.db.$count(notifications, eq(notifications.registrationId, id))).toBe(expected);
    }
    // The phone's one live registration is still the first.
    const live = await t.db.select({ id: registrations.id }).from(registrations).where(eq(registrations.phone, taken));
    expect(live).toEqual([{ id: winner.registrationId }]);
  });
});
