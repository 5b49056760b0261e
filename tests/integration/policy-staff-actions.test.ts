// Staff operations on one registration and on the policy: authorized in the lib function itself,
// audited in the same transaction.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, blockedPhones, registrations } from "../../db/schema";
import { getPolicySettings } from "../../lib/policy/get-policy-settings";
import { updatePolicySettings } from "../../lib/policy/update-policy-settings";
import { positionOf } from "../../lib/registrations/position";
import { blockRegistration } from "../../lib/registrations/block-registration";
import { boostRegistration } from "../../lib/registrations/boost-registration";
import { clearRegistration } from "../../lib/registrations/clear-registration";
import { holdRegistration } from "../../lib/registrations/hold-registration";
import { reactivateRegistration } from "../../lib/registrations/reactivate-registration";
import { removeRegistration } from "../../lib/registrations/remove-registration";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertRegistration, insertStaff, uniqueMobile } from "../helpers/factories";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

async function auditsFor(targetId: string, action: string) {
  return t.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, targetId), eq(auditEvents.action, action)));
}

describe("registration staff actions", () => {
  it("enforce roles in lib: product cannot remove, support cannot boost", async () => {
    const product = await insertStaff(t.db, "product");
    const support = await insertStaff(t.db, "support");
    const r = await insertRegistration(t.db, { phone: uniqueMobile() });
    await expect(removeRegistration(t.db, product, r.id, { reason: "spam" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(holdRegistration(t.db, product, r.id)).rejects.toMatchObject({ code: "forbidden" });
    await expect(boostRegistration(t.db, support, r.id, { points: 1, reason: "nice", category: "other" })).rejects.toMatchObject({ code: "forbidden" });
    expect(await auditsFor(r.id, "registration.remove")).toHaveLength(0);
  });

  it("remove then reactivate puts the registration back at its original place, audited", async () => {
    const support = await insertStaff(t.db, "support");
    const first = await insertRegistration(t.db, { phone: uniqueMobile(), queuedAt: new Date("2026-01-01T00:00:00Z") });
    await insertRegistration(t.db, { phone: uniqueMobile(), queuedAt: new Date("2026-01-02T00:00:00Z") });
    const position = await positionOf(t.db, first.id);
    const removed = await removeRegistration(t.db, support, first.id, { reason: "asked to leave" });
    expect(removed).toMatchObject({ status: "removed", statusReason: "asked to leave" });
    expect(await positionOf(t.db, first.id)).toBeNull();
    await expect(removeRegistration(t.db, support, first.id, { reason: "again" })).rejects.toMatchObject({ code: "invalid_state" });
    await reactivateRegistration(t.db, support, first.id, { reason: "changed their mind" });
    expect(await positionOf(t.db, first.id)).toBe(position);
    const [audit] = await auditsFor(first.id, "registration.remove");
    expect(audit).toMatchObject({ actorId: support.staffId, before: expect.objectContaining({ status: "waiting" }), after: expect.objectContaining({ status: "removed" }) });
    expect(await auditsFor(first.id, "registration.reactivate")).toHaveLength(1);
  });

  it("hold keeps the place; clear lifts it", async () => {
    const growth = await insertStaff(t.db, "growth");
    const r = await insertRegistration(t.db, { phone: uniqueMobile() });
    const position = await positionOf(t.db, r.id);
    expect((await holdRegistration(t.db, growth, r.id, { reason: "looks automated" })).review).toBe("hold");
    expect(await positionOf(t.db, r.id)).toBe(position);
    expect((await clearRegistration(t.db, growth, r.id)).review).toBe("clear");
    expect(await auditsFor(r.id, "registration.hold")).toHaveLength(1);
    expect(await auditsFor(r.id, "registration.clear")).toHaveLength(1);
  });

  it("block adds the phone hash to the block list and refuses admitted registrations", async () => {
    const admin = await insertStaff(t.db, "admin");
    const r = await insertRegistration(t.db, { phone: uniqueMobile() });
    await blockRegistration(t.db, admin, r.id, { reason: "fraud ring" });
    const [entry] = await t.db.select().from(blockedPhones).where(eq(blockedPhones.phoneHash, r.phoneHash));
    expect(entry).toMatchObject({ reason: "fraud ring", registrationId: r.id, createdBy: admin.staffId });
    const admitted = await insertRegistration(t.db, { phone: uniqueMobile(), status: "admitted" });
    await expect(blockRegistration(t.db, admin, admitted.id, { reason: "fraud" })).rejects.toMatchObject({ code: "invalid_state" });
    await expect(blockRegistration(t.db, admin, r.id, { reason: "" })).rejects.toMatchObject({ issues: [expect.objectContaining({ code: "too_small", path: ["reason"] })] });
    const [audit] = await auditsFor(r.id, "registration.block");
    // Audit rows never hold a full phone.
    expect(JSON.stringify(audit)).not.toContain(r.phone!);
  });

  it("boost moves a registration ahead, audited with reason and category; never below zero", async () => {
    const growth = await insertStaff(t.db, "growth");
    const r = await insertRegistration(t.db, { phone: uniqueMobile(), queuedAt: new Date() });
    const boosted = await boostRegistration(t.db, growth, r.id, { points: 50, reason: "creator program", category: "creator" });
    expect(boosted.priority).toBe(50);
    expect(await positionOf(t.db, r.id)).toBe(1);
    const [audit] = await auditsFor(r.id, "registration.boost");
    expect(audit!.after).toMatchObject({ points: 50, reason: "creator program", category: "creator", boostPoints: 50 });
    await expect(boostRegistration(t.db, growth, r.id, { points: -60, reason: "oops", category: "other" })).rejects.toMatchObject({ code: "validation" });
    const [row] = await t.db.select().from(registrations).where(eq(registrations.id, r.id));
    expect(row!.boostPoints).toBe(50);
  });
});

describe("policy settings", () => {
  it("only admins change them; each change is audited with before and after", async () => {
    const growth = await insertStaff(t.db, "growth");
    const admin = await insertStaff(t.db, "admin");
    await expect(updatePolicySettings(t.db, growth, { retentionDays: 10 })).rejects.toMatchObject({ code: "forbidden" });
    const updated = await updatePolicySettings(t.db, admin, { retentionDays: 10, allowedCountries: ["fr", "be"] });
    expect(updated).toMatchObject({ retentionDays: 10, allowedCountries: ["FR", "BE"], updatedBy: admin.staffId });
    expect(await getPolicySettings(t.db)).toMatchObject({ retentionDays: 10 });
    const [audit] = await t.db.select().from(auditEvents).where(eq(auditEvents.action, "policy.update"));
    expect(audit).toMatchObject({ before: { retentionDays: 30, allowedCountries: null }, after: { retentionDays: 10, allowedCountries: ["FR", "BE"] } });
    await expect(updatePolicySettings(t.db, admin, { referralBoost: 50, referralBoostCap: 10 })).rejects.toMatchObject({ code: "validation" });
    await expect(updatePolicySettings(t.db, admin, { verificationWindowMinutes: 0 })).rejects.toMatchObject({
      issues: [expect.objectContaining({ code: "too_small", path: ["verificationWindowMinutes"] })],
    });
  });
});
