// Rule 5: unverified registrations lapse after the verification window; lapsed and removed ones
// lose their personal data after retentionDays, keeping only the salted phone hash.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notifications, policyDecisions, registrations } from "../../db/schema";
import { lapseUnverified, purgePersonalData } from "../../lib/policy/sweeps";
import { registerPhone } from "../../lib/registrations/register";
import { removeRegistration } from "../../lib/registrations/remove-registration";
import { verifyRegistration } from "../../lib/registrations/verify";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertStaff, uniqueMobile } from "../helpers/factories";
import { latestCode } from "../helpers/registrations";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

const minutes = (n: number) => n * 60_000;
const days = (n: number) => n * 86_400_000;

async function row(id: string) {
  return (await t.db.select().from(registrations).where(eq(registrations.id, id)))[0]!;
}

describe("lapse sweep", () => {
  it("lapses registrations not verified within verificationWindowMinutes, and nothing else", async () => {
    const start = new Date();
    const stale = await registerPhone(t.db, { phone: uniqueMobile(), platform: "android" }, { ip: null, now: start });
    const fresh = await registerPhone(t.db, { phone: uniqueMobile(), platform: "android" }, { ip: null, now: new Date(start.getTime() + minutes(20)) });
    const verified = await registerPhone(t.db, { phone: uniqueMobile(), platform: "android" }, { ip: null, now: start });
    await verifyRegistration(t.db, verified.registrationId, { code: await latestCode(t.db, verified.registrationId) }, { now: start });

    const lapsed = await lapseUnverified(t.db, new Date(start.getTime() + minutes(31)));
    expect(lapsed).toBe(1);
    expect((await row(stale.registrationId)).status).toBe("lapsed");
    expect((await row(fresh.registrationId)).status).toBe("pending_verification");
    expect((await row(verified.registrationId)).status).toBe("waiting");
    const decisions = await t.db.select().from(policyDecisions).where(eq(policyDecisions.registrationId, stale.registrationId));
    expect(decisions).toContainEqual(expect.objectContaining({ kind: "lapsed" }));
    // The code of a lapsed registration no longer works.
    await expect(
      verifyRegistration(t.db, stale.registrationId, { code: await latestCode(t.db, stale.registrationId) }, { now: start }),
    ).rejects.toThrow(/wrong or has expired/);
    expect(await lapseUnverified(t.db, new Date(start.getTime() + minutes(31)))).toBe(0);
  });

  it("works through a backlog in chunks", async () => {
    const start = new Date(Date.now() - days(1));
    for (let i = 0; i < 7; i++) await registerPhone(t.db, { phone: uniqueMobile(), platform: "ios" }, { ip: null, now: start });
    expect(await lapseUnverified(t.db, new Date(start.getTime() + minutes(31)), { chunk: 3 })).toBe(7);
  });

  it("lets a lapsed phone register again, as a new registration", async () => {
    const phone = uniqueMobile();
    const start = new Date(Date.now() - days(2));
    const first = await registerPhone(t.db, { phone, platform: "android" }, { ip: null, now: start });
    await lapseUnverified(t.db, new Date(start.getTime() + minutes(31)));
    const second = await registerPhone(t.db, { phone, platform: "android" }, { ip: null });
    expect(second.registrationId).not.toBe(first.registrationId);
    const decisions = await t.db.select().from(policyDecisions).where(eq(policyDecisions.registrationId, second.registrationId));
    expect(decisions).toContainEqual(expect.objectContaining({ kind: "restarted_at_back", reasons: ["previous_lapsed"] }));
  });
});

describe("retention purge", () => {
  it("erases phone, e-mail, address and codes of old lapsed and removed registrations, keeping the phone hash", async () => {
    const support = await insertStaff(t.db, "support");
    const now = new Date();
    const old = new Date(now.getTime() - days(40));
    const lapsedOld = await registerPhone(t.db, { phone: uniqueMobile(), platform: "android", email: "a@example.com" }, { ip: "192.0.2.1", now: old });
    await lapseUnverified(t.db, new Date(old.getTime() + minutes(31)));
    const removed = await registerPhone(t.db, { phone: uniqueMobile(), platform: "android" }, { ip: "192.0.2.1" });
    await verifyRegistration(t.db, removed.registrationId, { code: await latestCode(t.db, removed.registrationId) });
    await removeRegistration(t.db, support, removed.registrationId, { reason: "spam" });
    await t.db.update(registrations).set({ statusChangedAt: old }).where(eq(registrations.id, removed.registrationId));
    const recentLapse = await registerPhone(t.db, { phone: uniqueMobile(), platform: "android", email: "b@example.com" }, { ip: null, now: new Date(now.getTime() - days(2)) });
    await lapseUnverified(t.db, new Date(now.getTime() - days(2) + minutes(31)));
    const waiting = await registerPhone(t.db, { phone: uniqueMobile(), platform: "android" }, { ip: null, now: old });
    await verifyRegistration(t.db, waiting.registrationId, { code: await latestCode(t.db, waiting.registrationId) }, { now: old });

    const before = await row(lapsedOld.registrationId);
    expect(await purgePersonalData(t.db, now)).toBe(2);

    for (const id of [lapsedOld.registrationId, removed.registrationId]) {
      const erased = await row(id);
      expect(erased).toMatchObject({ phone: null, email: null, signupIp: null, verificationCodeHash: null, statusTokenHash: null });
      expect(erased.erasedAt).not.toBeNull();
      expect(erased.phoneHash).toMatch(/^[0-9a-f]{64}$/);
      const messages = await t.db.select().from(notifications).where(eq(notifications.registrationId, id));
      expect(messages.every((m) => m.recipient === "erased" && m.secret === null)).toBe(true);
      const decisions = await t.db.select().from(policyDecisions).where(eq(policyDecisions.registrationId, id));
      expect(decisions).toContainEqual(expect.objectContaining({ kind: "personal_data_erased" }));
    }
    expect((await row(lapsedOld.registrationId)).phoneHash).toBe(before.phoneHash);
    expect((await row(recentLapse.registrationId)).phone).not.toBeNull();
    expect((await row(waiting.registrationId)).phone).not.toBeNull();
    expect(await purgePersonalData(t.db, now)).toBe(0);
    const [{ n }] = (await t.db.execute(
      sql`select count(*)::int as n from registration_signals where created_at < now() - interval '1 day'`,
    )) as unknown as [{ n: number }];
    expect(n).toBe(0);
  });

  it("honours retentionDays from the policy", async () => {
    await t.db.execute(sql`update policy_settings set retention_days = 60 where id = 1`);
    const old = new Date(Date.now() - days(45));
    const lapsed = await registerPhone(t.db, { phone: uniqueMobile(), platform: "android" }, { ip: null, now: old });
    await lapseUnverified(t.db, new Date(old.getTime() + minutes(31)));
    expect(await purgePersonalData(t.db)).toBe(0);
    expect((await row(lapsed.registrationId)).phone).not.toBeNull();
    await t.db.execute(sql`update policy_settings set retention_days = 30 where id = 1`);
    expect(await purgePersonalData(t.db)).toBe(1);
  });
});
