// SPEC §3.2 rule 7, rule by rule, through the public API: every check that needs no worker runs
// before a code is queued; a refused registration answers exactly like an accepted one, sends
// nothing, and is recorded with its decision; staff release budget-withheld codes; the
// screening worker agrees with what the request path decided.
import { and, desc, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { auditEvents, policyDecisions, registrations, smsPrefixHolds } from "../../db/schema";
import { AppError } from "../../lib/errors";
import { forgetPolicySnapshots } from "../../lib/policy/load-policy-snapshot";
import { releasePrefixHold } from "../../lib/policy/release-prefix-hold";
import { screenQueuedRegistrations } from "../../lib/policy/screening";
import { smsBudgetCounters } from "../../lib/policy/sms-spending-rules";
import { getRateLimiter } from "../../lib/rate-limit/rate-limiter";
import { isSmsBudgetWithheld, releaseSmsBudget } from "../../lib/registrations/release-sms-budget";
import { verifyRegistration } from "../../lib/registrations/verify";
import { callApi } from "../helpers/api";
import { insertStaff } from "../helpers/factories";
import { setPolicy } from "../helpers/policy";
import { freshIp, jsonRequest, usePublicApiTestServices } from "../helpers/public-api";
import { codesSent, latestCode } from "../helpers/registrations";

const t = usePublicApiTestServices();
const defaults = {
  allowedCountries: null,
  blockedPrefixes: [],
  velocityMaxPerIp: 20,
  velocityMaxPerPrefix: 200,
  velocityPrefixDigits: 6,
  smsBudgetCountryPerHour: 5000,
  smsBudgetPrefixPerHour: 100,
  smsBudgetGlobalPerMinute: 1000,
};
beforeEach(async () => {
  await screenQueuedRegistrations(t.db, { limit: 10_000 });
  await setPolicy(t.db, defaults);
});

// Every test gets numbers of its own 6-digit prefix (+3361 + 4 digits), so budgets and velocity
// counted by one test never reach another.
let block = 1000 + Math.floor(Math.random() * 4000);
function numbers(count: number): string[] {
  block += 1;
  return Array.from({ length: count }, (_, i) => `+3361${block}${String(i * 7).padStart(3, "0")}`);
}

async function register(phone: string, ip: string = freshIp()) {
  const response = await callApi(jsonRequest("/api/v1/registrations", { body: { phone, platform: "ios" }, ip }));
  return { response, body: (await response.json()) as { registrationId: string; status: string; verificationExpiresAt: string } };
}

async function smsDecision(registrationId: string) {
  const [row] = await t.db
    .select()
    .from(policyDecisions)
    .where(and(eq(policyDecisions.registrationId, registrationId), eq(policyDecisions.kind, "sms_withheld")))
    .union(t.db.select().from(policyDecisions).where(and(eq(policyDecisions.registrationId, registrationId), eq(policyDecisions.kind, "sms_budget"))));
  return row ?? null;
}

async function registrationRow(id: string) {
  return (await t.db.select().from(registrations).where(eq(registrations.id, id)))[0]!;
}

async function screening(id: string) {
  await screenQueuedRegistrations(t.db, { limit: 10_000 });
  const [row] = await t.db
    .select()
    .from(policyDecisions)
    .where(and(eq(policyDecisions.registrationId, id), eq(policyDecisions.kind, "screening")));
  return row!;
}

/** Status, content type and body with ids and instants blanked: what an observer can compare. */
async function shapeOf(response: Response, body: unknown) {
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    body: JSON.stringify(body)
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<id>")
      .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/g, "<time>"),
  };
}

describe("checks before a code is queued", () => {
  it("a country outside the allow-list gets no code, the same answer, and the worker rejects it", async () => {
    await setPolicy(t.db, { allowedCountries: ["GB", "DE"] });
    const [phone] = numbers(1);
    const refused = await register(phone!);
    await setPolicy(t.db, { allowedCountries: null });
    const accepted = await register(numbers(1)[0]!);
    expect(await shapeOf(refused.response, refused.body)).toEqual(await shapeOf(accepted.response, accepted.body));

    expect(await codesSent(t.db, refused.body.registrationId)).toBe(0);
    expect(await codesSent(t.db, accepted.body.registrationId)).toBe(1);
    expect(await smsDecision(refused.body.registrationId)).toMatchObject({ kind: "sms_withheld", reasons: ["country_not_allowed"] });
    await setPolicy(t.db, { allowedCountries: ["GB", "DE"] });
    expect(await screening(refused.body.registrationId)).toMatchObject({ outcome: "reject", reasons: ["country_not_allowed"] });
    expect((await registrationRow(refused.body.registrationId)).status).toBe("removed");
  });

  it("a blocked range gets no code", async () => {
    const [phone] = numbers(1);
    await setPolicy(t.db, { blockedPrefixes: [phone!.slice(0, 9)] });
    const { body } = await register(phone!);
    expect(await codesSent(t.db, body.registrationId)).toBe(0);
    expect(await smsDecision(body.registrationId)).toMatchObject({ kind: "sms_withheld", reasons: ["blocked_prefix"] });
  });

  it("velocity per address: over velocityMaxPerIp in the window, no code; the worker holds it", async () => {
    await setPolicy(t.db, { velocityMaxPerIp: 3 });
    const ip = freshIp();
    const ids: string[] = [];
    for (const phone of numbers(4)) ids.push((await register(phone, ip)).body.registrationId);
    expect(await Promise.all(ids.map((id) => codesSent(t.db, id)))).toEqual([1, 1, 1, 0]);
    expect(await smsDecision(ids[3]!)).toMatchObject({ kind: "sms_withheld", reasons: ["velocity_ip"], details: { velocity: { ip: 4 } } });
    // The worker takes the request's verdict over rather than counting again.
    expect(await screening(ids[3]!)).toMatchObject({ outcome: "hold", reasons: ["velocity_ip"] });
    expect(await screening(ids[2]!)).toMatchObject({ outcome: "accept", reasons: [] });
    expect((await registrationRow(ids[3]!)).review).toBe("hold");
  });

  it("velocity per number prefix, from many addresses", async () => {
    await setPolicy(t.db, { velocityMaxPerPrefix: 2 });
    const ids: string[] = [];
    for (const phone of numbers(3)) ids.push((await register(phone)).body.registrationId);
    expect(await Promise.all(ids.map((id) => codesSent(t.db, id)))).toEqual([1, 1, 0]);
    expect(await smsDecision(ids[2]!)).toMatchObject({ kind: "sms_withheld", reasons: ["velocity_prefix"] });
  });

  it("a rate-limited attempt gives its budget back", async () => {
    const [phone] = numbers(1);
    for (let i = 0; i < 5; i++) await register(phone!);
    const limited = await register(phone!);
    expect(limited.response.status).toBe(429);
    // Five attempts of one phone: the first sent a code, the next four re-sent one each (a fresh
    // code each time); the sixth was refused by registerPerPhone and spent nothing.
    const [country, prefixCounter] = smsBudgetCounters("FR", phone!.slice(0, 9), new Date());
    await expect.poll(async () => getRateLimiter().peek([country!, prefixCounter!])).toEqual([expect.any(Number), 5]);
  });
});

describe("SMS budgets", () => {
  it("over the prefix budget: same answer, no code, an sms_budget decision; staff release it, which sends the code", async () => {
    await setPolicy(t.db, { smsBudgetPrefixPerHour: 2 });
    const ids: string[] = [];
    const answers = [];
    for (const phone of numbers(3)) {
      const { response, body } = await register(phone);
      ids.push(body.registrationId);
      answers.push(await shapeOf(response, body));
    }
    expect(answers[2]).toEqual(answers[0]);
    expect(await Promise.all(ids.map((id) => codesSent(t.db, id)))).toEqual([1, 1, 0]);
    const over = ids[2]!;
    expect(await smsDecision(over)).toMatchObject({
      kind: "sms_budget",
      reasons: ["sms_budget_prefix"],
      details: { country: "FR", use: { prefix: 3 }, budgets: { prefix: 2 } },
    });
    expect(await isSmsBudgetWithheld(t.db, over)).toBe(true);
    // Budgets are not screening: the worker accepts it.
    expect(await screening(over)).toMatchObject({ outcome: "accept" });

    const product = await insertStaff(t.db, "product");
    await expect(releaseSmsBudget(t.db, product, over)).rejects.toMatchObject({ code: "forbidden" });
    const support = await insertStaff(t.db, "support");
    await releaseSmsBudget(t.db, support, over);
    expect(await codesSent(t.db, over)).toBe(1);
    const [audit] = await t.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, over), eq(auditEvents.action, "registration.release_sms_budget")));
    expect(audit).toMatchObject({ actorId: support.staffId, targetType: "registration" });
    // Nothing is withheld any more: a second release is refused.
    await expect(releaseSmsBudget(t.db, support, over)).rejects.toMatchObject({ code: "invalid_state" });
    const verified = await verifyRegistration(t.db, over, { code: await latestCode(t.db, over) });
    expect(verified.status).toBe("waiting");
  });

  it("over the country budget", async () => {
    // Belgian mobiles (+32 47x): a country no other test sends to.
    await setPolicy(t.db, { smsBudgetCountryPerHour: 1 });
    const first = await register(`+32470${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`);
    const second = await register(`+32471${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`);
    expect(await codesSent(t.db, first.body.registrationId)).toBe(1);
    expect(await codesSent(t.db, second.body.registrationId)).toBe(0);
    expect(await smsDecision(second.body.registrationId)).toMatchObject({ kind: "sms_budget", reasons: ["sms_budget_country"] });
  });

  it("a known phone over budget keeps its place and gets no new code", async () => {
    const [phone] = numbers(1);
    const { body } = await register(phone!);
    const code = await latestCode(t.db, body.registrationId);
    await verifyRegistration(t.db, body.registrationId, { code });
    // Its first code spent the prefix's whole budget.
    await setPolicy(t.db, { smsBudgetPrefixPerHour: 1 });
    const again = await register(phone!);
    expect(again.response.status).toBe(202);
    expect(again.body.registrationId).toBe(body.registrationId);
    expect(await codesSent(t.db, body.registrationId)).toBe(1);
    expect(await smsDecision(body.registrationId)).toMatchObject({ kind: "sms_budget" });
    expect((await registrationRow(body.registrationId)).status).toBe("waiting");
  });
});

describe("held prefixes", () => {
  it("no code while held, new registrations held for review, the reason recorded; an admin release lets codes through again", async () => {
    const [first, second] = numbers(2);
    const held = first!.slice(0, 9);
    await t.db.insert(smsPrefixHolds).values({ prefix: held, country: "FR", status: "held", reason: "2 of 60 codes verified", sends: 60, verified: 2, heldAt: new Date() });
    forgetPolicySnapshots();
    const { body } = await register(first!);
    expect(await codesSent(t.db, body.registrationId)).toBe(0);
    expect(await registrationRow(body.registrationId)).toMatchObject({ review: "hold", status: "pending_verification" });
    expect(await smsDecision(body.registrationId)).toMatchObject({ kind: "sms_withheld", reasons: ["prefix_held"] });
    expect(await screening(body.registrationId)).toMatchObject({ outcome: "hold", reasons: ["prefix_held"] });

    const growth = await insertStaff(t.db, "growth");
    await expect(releasePrefixHold(t.db, growth, { prefix: held })).rejects.toMatchObject({ code: "forbidden" });
    const admin = await insertStaff(t.db, "admin");
    await releasePrefixHold(t.db, admin, { prefix: held });
    await expect(releasePrefixHold(t.db, admin, { prefix: held })).rejects.toBeInstanceOf(AppError);
    const [audit] = await t.db.select().from(auditEvents).where(eq(auditEvents.action, "policy.prefix_release")).orderBy(desc(auditEvents.createdAt)).limit(1);
    expect(audit).toMatchObject({ actorId: admin.staffId, targetId: held });
    const after = await register(second!);
    expect(await codesSent(t.db, after.body.registrationId)).toBe(1);
  });
});
