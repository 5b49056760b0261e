// The Policy page's server action as every role, through runStaffAction (the console's path):
// only admins change the policy (audited); others are refused and nothing changes — the lib
// refuses them too when the action's guard is bypassed. Form strings are validated field by field.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runStaffAction } from "../../app/_server/action-spec";
import { releasePrefixHoldSpec, updatePolicySpec } from "../../app/(console)/policy/action-specs";
import { auditEvents, smsPrefixHolds, type StaffRole } from "../../db/schema";
import type { Actor } from "../../lib/auth/roles";
import { listDecisions, countDecisions } from "../../lib/policy/list-decisions";
import { recordPolicyDecisions } from "../../lib/policy/decisions";
import { getPolicySettings } from "../../lib/policy/get-policy-settings";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertRegistration, insertStaff } from "../helpers/factories";

let db: TestDatabase;
const staff = {} as Record<StaffRole, Actor>;
const roles: StaffRole[] = ["admin", "growth", "support", "product"];

const form = (overrides: Record<string, string> = {}) => ({
  referralBoost: "2",
  referralBoostCap: "12",
  verificationWindowMinutes: "30",
  verificationMaxAttempts: "5",
  retentionDays: "30",
  allowedCountries: "fr, be",
  blockedPrefixes: "+88213\n+88216",
  velocityWindowMinutes: "10",
  velocityMaxPerIp: "20",
  velocityMaxPerPrefix: "200",
  velocityPrefixDigits: "6",
  reminderHoursBeforeExpiry: "",
  smsBudgetCountryPerHour: "5000",
  smsBudgetPrefixPerHour: "100",
  smsBudgetGlobalPerMinute: "1000",
  prefixHoldMinSends: "50",
  prefixHoldMaxVerifiedPct: "10",
  ...overrides,
});

function run(role: StaffRole, rawInput: unknown) {
  return runStaffAction({ db: db.db, staffId: staff[role].staffId, permission: updatePolicySpec.permission, schema: updatePolicySpec.schema, rawInput, fn: updatePolicySpec.run });
}

beforeAll(async () => {
  db = await createTestDatabase();
  for (const role of roles) staff[role] = await insertStaff(db.db, role);
});

afterAll(async () => {
  await db?.drop();
});

describe("update policy", () => {
  it.each(["growth", "support", "product"] as const)("refuses %s, in the action and in the lib", async (role) => {
    const before = await getPolicySettings(db.db);
    expect(await run(role, form())).toMatchObject({ ok: false, code: "forbidden" });
    await expect(updatePolicySpec.run(updatePolicySpec.schema.parse(form()), staff[role], db.db)).rejects.toMatchObject({ code: "forbidden" });
    expect(await getPolicySettings(db.db)).toEqual(before);
  });

  it("lets admin change it, parsing the form's strings, and audits the changed fields", async () => {
    expect(await run("admin", form())).toMatchObject({ ok: true });
    const after = await getPolicySettings(db.db);
    expect(after).toMatchObject({ referralBoost: 2, referralBoostCap: 12, allowedCountries: ["FR", "BE"], blockedPrefixes: ["+88213", "+88216"], reminderHoursBeforeExpiry: null });
    const [audit] = await db.db.select().from(auditEvents).where(eq(auditEvents.action, "policy.update"));
    expect(audit).toMatchObject({ actorId: staff.admin.staffId, after: { referralBoost: 2, referralBoostCap: 12 } });
  });

  it("answers field errors inline for bad values", async () => {
    const result = await run("admin", form({ referralBoost: "abc", allowedCountries: "France", blockedPrefixes: "88213", velocityPrefixDigits: "40" }));
    expect(result).toMatchObject({ ok: false, code: "validation" });
    const errors = (result as { fieldErrors: Record<string, string> }).fieldErrors;
    expect(Object.keys(errors).sort()).toEqual(["allowedCountries", "blockedPrefixes", "referralBoost", "velocityPrefixDigits"].sort());
  });

  it("refuses a referral boost above its cap on the boost field", async () => {
    const result = await run("admin", form({ referralBoost: "20", referralBoostCap: "10" }));
    expect(result).toMatchObject({ ok: false, code: "validation", fieldErrors: { referralBoost: expect.stringContaining("cap") } });
  });
});

describe("SMS budgets and prefix holds", () => {
  it("saves the budget settings (audited) and answers bad ones inline", async () => {
    const bad = await run("admin", form({ smsBudgetPrefixPerHour: "0", smsBudgetGlobalPerMinute: "lots", prefixHoldMaxVerifiedPct: "101" }));
    expect(bad).toMatchObject({ ok: false, code: "validation" });
    expect(Object.keys((bad as { fieldErrors: Record<string, string> }).fieldErrors).sort()).toEqual(
      ["prefixHoldMaxVerifiedPct", "smsBudgetGlobalPerMinute", "smsBudgetPrefixPerHour"].sort(),
    );
    expect(await run("admin", form({ smsBudgetPrefixPerHour: "40", smsBudgetCountryPerHour: "2500", prefixHoldMinSends: "30" }))).toMatchObject({ ok: true });
    expect(await getPolicySettings(db.db)).toMatchObject({ smsBudgetPrefixPerHour: 40, smsBudgetCountryPerHour: 2500, prefixHoldMinSends: 30 });
    const audits = await db.db.select().from(auditEvents).where(eq(auditEvents.action, "policy.update"));
    expect(audits.some((a) => (a.after as Record<string, unknown>).smsBudgetPrefixPerHour === 40)).toBe(true);
  });

  it("lets only admins release a held prefix", async () => {
    const prefix = "+88216123";
    await db.db.insert(smsPrefixHolds).values({ prefix, country: "XX", status: "held", reason: "0 of 80 codes verified", sends: 80, verified: 0, heldAt: new Date() });
    const release = (role: StaffRole) =>
      runStaffAction({ db: db.db, staffId: staff[role].staffId, permission: releasePrefixHoldSpec.permission, schema: releasePrefixHoldSpec.schema, rawInput: { prefix }, fn: releasePrefixHoldSpec.run });
    for (const role of ["growth", "support", "product"] as const) expect(await release(role)).toMatchObject({ ok: false, code: "forbidden" });
    expect(await release("admin")).toMatchObject({ ok: true, data: { prefix } });
    const [row] = await db.db.select().from(smsPrefixHolds).where(eq(smsPrefixHolds.prefix, prefix));
    expect(row).toMatchObject({ status: "released", releasedBy: staff.admin.staffId });
    expect(await release("admin")).toMatchObject({ ok: false, code: "not_found" });
  });
});

describe("decisions log", () => {
  it("filters by kind, outcome and reason and pages by id", async () => {
    const registration = await insertRegistration(db.db);
    await recordPolicyDecisions(db.db, [
      ...Array.from({ length: 30 }, () => ({ registrationId: registration.id, kind: "screening" as const, outcome: "accept" as const })),
      { registrationId: registration.id, kind: "screening", outcome: "reject", reasons: ["country_not_allowed"] },
      { registrationId: registration.id, kind: "screening", outcome: "hold", reasons: ["velocity_ip", "disposable_email"] },
      { registrationId: registration.id, kind: "legacy_claim_ignored" },
    ]);
    const first = await listDecisions(db.db, staff.product, { limit: 20 });
    const second = await listDecisions(db.db, staff.product, { limit: 20, after: first.nextCursor! });
    expect(first.rows.length + second.rows.length).toBe(33);
    expect(second.nextCursor).toBeNull();
    expect((await listDecisions(db.db, staff.product, { reason: "velocity_ip" })).rows.map((d) => d.outcome)).toEqual(["hold"]);
    expect((await listDecisions(db.db, staff.product, { kind: "legacy_claim_ignored" })).rows).toHaveLength(1);
    expect(await countDecisions(db.db, { outcome: "accept" })).toEqual({ value: 30, kind: "exact" });
  });
});
