// The fresh-registration policy (SPEC §3.2), one rule per test, through the lib entry points the
// public API calls. HTTP-level behaviour (status codes, bodies) is in public-api-*.test.ts.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blockedPhones, policyDecisions, registrations } from "../../db/schema";
import { positionOf, waitingCount } from "../../lib/registrations/position";
import { registerPhone } from "../../lib/registrations/register";
import { registrationStatusByToken } from "../../lib/registrations/status";
import { verifyRegistration } from "../../lib/registrations/verify";
import { blockRegistration } from "../../lib/registrations/block-registration";
import { boostRegistration } from "../../lib/registrations/boost-registration";
import { removeRegistration } from "../../lib/registrations/remove-registration";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertStaff, uniqueMobile } from "../helpers/factories";
import { codesSent, latestCode } from "../helpers/registrations";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

const ip = "203.0.113.7";

async function registerAndVerify(phone: string, extra: Record<string, unknown> = {}) {
  const registered = await registerPhone(t.db, { phone, platform: "android", ...extra }, { ip });
  const verified = await verifyRegistration(t.db, registered.registrationId, { code: await latestCode(t.db, registered.registrationId) });
  return { registered, verified };
}

async function decisionsOf(registrationId: string) {
  return t.db.select().from(policyDecisions).where(eq(policyDecisions.registrationId, registrationId));
}

describe("full flow (lib)", () => {
  it("register → code → verify → position → status", async () => {
    const phone = uniqueMobile();
    const registered = await registerPhone(t.db, { phone: phone.replace("+33", "0"), country: "FR", platform: "ios", locale: "fr" }, { ip });
    expect(registered.status).toBe("pending_verification");
    const [row] = await t.db.select().from(registrations).where(eq(registrations.id, registered.registrationId));
    expect(row!.phone).toBe(phone);
    expect(row!.status).toBe("pending_verification");
    const verified = await verifyRegistration(t.db, registered.registrationId, { code: await latestCode(t.db, registered.registrationId) });
    expect(verified.status).toBe("waiting");
    expect(verified.position).toBe(await positionOf(t.db, registered.registrationId));
    expect(verified.statusToken).toMatch(/^gst_/);
    const me = await registrationStatusByToken(t.db, verified.statusToken);
    expect(me).toEqual({
      registrationId: registered.registrationId,
      status: "waiting",
      position: verified.position,
      referralCode: verified.referralCode,
      referrals: 0,
      invitation: null,
      // No phase is active here: no basis for an estimate.
      estimatedAdmissionAt: null,
    });
  });

  it("refuses a wrong code without voiding it: guesses are bounded per client by the API, not by killing the code", async () => {
    const registered = await registerPhone(t.db, { phone: uniqueMobile(), platform: "android" }, { ip });
    const code = await latestCode(t.db, registered.registrationId);
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 8; i++) {
      await expect(verifyRegistration(t.db, registered.registrationId, { code: wrong })).rejects.toMatchObject({ code: "validation" });
    }
    expect(await verifyRegistration(t.db, registered.registrationId, { code })).toMatchObject({ status: "waiting" });
  });
});

describe("rule 1: only the new flow creates people, and only verified phones queue", () => {
  it("a registration is outside the queue until its phone is verified", async () => {
    const waitingBefore = await waitingCount(t.db);
    const registered = await registerPhone(t.db, { phone: uniqueMobile(), platform: "android" }, { ip });
    const [row] = await t.db.select().from(registrations).where(eq(registrations.id, registered.registrationId));
    expect(row).toMatchObject({ status: "pending_verification", queuedAt: null, verifiedAt: null });
    expect(await positionOf(t.db, registered.registrationId)).toBeNull();
    expect(await waitingCount(t.db)).toBe(waitingBefore);
    await verifyRegistration(t.db, registered.registrationId, { code: await latestCode(t.db, registered.registrationId) });
    expect(await waitingCount(t.db)).toBe(waitingBefore + 1);
  });
});

describe("rule 3: one phone, one place", () => {
  it("registering the same phone twice answers alike, sends a fresh code, and resumes the same place", async () => {
    const phone = uniqueMobile();
    const { registered, verified } = await registerAndVerify(phone);
    await registerAndVerify(uniqueMobile()); // someone behind
    const before = await positionOf(t.db, registered.registrationId);

    const again = await registerPhone(t.db, { phone, platform: "ios" }, { ip });
    expect(Object.keys(again).sort()).toEqual(Object.keys(registered).sort());
    expect(again.registrationId).toBe(registered.registrationId);
    expect(again.status).toBe("pending_verification");
    expect(await codesSent(t.db, registered.registrationId)).toBe(2);

    const resumed = await verifyRegistration(t.db, registered.registrationId, { code: await latestCode(t.db, registered.registrationId) });
    expect(resumed.status).toBe("waiting");
    expect(resumed.position).toBe(before);
    expect(resumed.referralCode).toBe(verified.referralCode);
    const rows = await t.db.select().from(registrations).where(eq(registrations.phone, phone));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.queuedAt).toEqual((await t.db.select().from(registrations).where(eq(registrations.id, registered.registrationId)))[0]!.queuedAt);
    expect((await decisionsOf(registered.registrationId)).map((d) => d.kind)).toContain("duplicate_resumed");
  });

  it("two concurrent first registrations of one phone create one registration", async () => {
    const phone = uniqueMobile();
    const results = await Promise.all(Array.from({ length: 4 }, () => registerPhone(t.db, { phone, platform: "android" }, { ip })));
    expect(new Set(results.map((r) => r.registrationId)).size).toBe(1);
    const [{ n }] = (await t.db.execute(sql`select count(*)::int as n from registrations where phone = ${phone}`)) as unknown as [{ n: number }];
    expect(n).toBe(1);
  });
});

describe("rule 2: no legacy advantage", () => {
  it("records a legacy claim, and a later registrant with one stays behind an earlier one without", async () => {
    const earlier = await registerAndVerify(uniqueMobile());
    const later = await registerAndVerify(uniqueMobile(), { legacyAccountId: "old-user-12345" });
    expect(later.verified.position).toBe(earlier.verified.position! + 1);
    const [row] = await t.db.select().from(registrations).where(eq(registrations.id, later.registered.registrationId));
    expect(row!.legacyClaim).toBe(true);
    expect(row!.priority).toBe(0);
    const decisions = await decisionsOf(later.registered.registrationId);
    expect(decisions).toContainEqual(expect.objectContaining({ kind: "legacy_claim_ignored" }));
  });

  it("refuses a staff boost in category legacy_account, and allows others", async () => {
    const growth = await insertStaff(t.db, "growth");
    const { registered } = await registerAndVerify(uniqueMobile());
    await expect(
      boostRegistration(t.db, growth, registered.registrationId, { points: 5, reason: "was a top user before", category: "legacy_account" }),
    ).rejects.toMatchObject({ code: "validation", fieldErrors: [expect.objectContaining({ path: "category" })] });
    const boosted = await boostRegistration(t.db, growth, registered.registrationId, { points: 5, reason: "launch partner", category: "partner" });
    expect(boosted.priority).toBe(5);
    expect(await positionOf(t.db, registered.registrationId)).toBe(1);
  });
});

describe("rule 4: start again at the back", () => {
  it("a removed phone that registers again gets a new registration behind everyone", async () => {
    const support = await insertStaff(t.db, "support");
    const phone = uniqueMobile();
    const first = await registerAndVerify(phone);
    await registerAndVerify(uniqueMobile());
    await removeRegistration(t.db, support, first.registered.registrationId, { reason: "duplicate account" });
    const second = await registerAndVerify(phone);
    expect(second.registered.registrationId).not.toBe(first.registered.registrationId);
    const [{ n }] = (await t.db.execute(sql`select count(*)::int as n from registrations where status = 'waiting'`)) as unknown as [{ n: number }];
    expect(second.verified.position).toBe(n);
    expect(await decisionsOf(second.registered.registrationId)).toContainEqual(
      expect.objectContaining({ kind: "restarted_at_back", reasons: ["previous_removed"] }),
    );
  });
});

describe("blocked phones", () => {
  it("cannot register: same answer shape, no code sent, refusal recorded", async () => {
    const support = await insertStaff(t.db, "support");
    const phone = uniqueMobile();
    const first = await registerAndVerify(phone);
    await blockRegistration(t.db, support, first.registered.registrationId, { reason: "SMS pumping" });
    const [blocked] = await t.db.select().from(blockedPhones).where(eq(blockedPhones.registrationId, first.registered.registrationId));
    expect(blocked).toBeDefined();
    const sentBefore = await codesSent(t.db, first.registered.registrationId);

    const again = await registerPhone(t.db, { phone, platform: "android" }, { ip });
    const again2 = await registerPhone(t.db, { phone, platform: "android" }, { ip });
    expect(Object.keys(again).sort()).toEqual(["registrationId", "status", "verificationExpiresAt"]);
    expect(again.status).toBe("pending_verification");
    expect(again2.registrationId).toBe(again.registrationId);
    expect(await codesSent(t.db, first.registered.registrationId)).toBe(sentBefore);
    const [{ n }] = (await t.db.execute(sql`select count(*)::int as n from registrations where phone = ${phone}`)) as unknown as [{ n: number }];
    expect(n).toBe(1);
    expect(await decisionsOf(first.registered.registrationId)).toContainEqual(expect.objectContaining({ kind: "blocked_phone_refused" }));
    await expect(verifyRegistration(t.db, again.registrationId, { code: "123456" })).rejects.toThrow(/wrong or has expired/);
  });
});

describe("referrals", () => {
  it("each verified referral adds referralBoost points, capped", async () => {
    await t.db.execute(sql`update policy_settings set referral_boost = 2, referral_boost_cap = 5 where id = 1`);
    const referrer = await registerAndVerify(uniqueMobile());
    for (let i = 0; i < 4; i++) await registerAndVerify(uniqueMobile(), { referralCode: referrer.verified.referralCode.toLowerCase() });
    // An unverified referral earns nothing.
    await registerPhone(t.db, { phone: uniqueMobile(), platform: "android", referralCode: referrer.verified.referralCode }, { ip });
    const [row] = await t.db.select().from(registrations).where(eq(registrations.id, referrer.registered.registrationId));
    expect(row!.referralPoints).toBe(5);
    const me = await registrationStatusByToken(t.db, referrer.verified.statusToken);
    expect(me.referrals).toBe(4);
    await t.db.execute(sql`update policy_settings set referral_boost = 1, referral_boost_cap = 10 where id = 1`);
  });
});
