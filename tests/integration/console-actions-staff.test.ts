// Every Staff & API tokens server action run as every role, server-side (as a forged request
// would arrive): admin succeeds and is audited; growth, support and product are refused before
// any change. Plus the disable rules: no self-disable, and a
// disabled member's session and tokens stop working at once.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { apiTokens, auditEvents, staffUsers, type StaffRole } from "../../db/schema";
import { runStaffAction, type StaffActionSpec } from "../../app/_server/action-spec";
import { actorForStaffId } from "../../app/_server/staff-actor";
import {
  createApiTokenSpec,
  createStaffSpec,
  revokeApiTokenSpec,
  setStaffDisabledSpec,
  setStaffRoleSpec,
} from "../../app/(console)/staff/action-specs";
import { authenticateApiToken } from "../../lib/staff/api-tokens";
import { createApiToken } from "../../lib/staff/create-api-token";
import { verifyStaffCredentials } from "../../lib/staff/find-staff";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertStaff } from "../helpers/factories";

let testDb: TestDatabase;
const staffIds = {} as Record<StaffRole, string>;
const refused: StaffRole[] = ["growth", "support", "product"];

beforeAll(async () => {
  testDb = await createTestDatabase();
  for (const role of ["admin", "growth", "support", "product"] as const) staffIds[role] = (await insertStaff(testDb.db, role)).staffId;
});
afterAll(async () => {
  await testDb.drop();
});

function run<S extends z.ZodType, T>(spec: StaffActionSpec<S, T>, role: StaffRole, rawInput: unknown) {
  return runStaffAction({ db: testDb.db, staffId: staffIds[role], permission: spec.permission, schema: spec.schema, fn: spec.run, rawInput });
}

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
}

async function audits(action: string, targetId: string) {
  return testDb.db.select().from(auditEvents).where(and(eq(auditEvents.action, action), eq(auditEvents.targetId, targetId)));
}

async function staffByEmail(email: string) {
  const [row] = await testDb.db.select().from(staffUsers).where(eq(staffUsers.email, email));
  return row;
}

describe("staff server actions by role", () => {
  it("create: only admin creates an account and gets its password once; the new member can sign in", async () => {
    for (const role of refused) {
      const result = await run(createStaffSpec, role, form({ email: `made-by-${role}@test.local`, role: "admin" }));
      expect(result, role).toMatchObject({ ok: false, code: "forbidden" });
      expect(await staffByEmail(`made-by-${role}@test.local`)).toBeUndefined();
    }
    const result = await run(createStaffSpec, "admin", form({ email: "New.Person@Test.Local", role: "support", name: "New Person" }));
    if (!result.ok) throw new Error(result.error);
    expect(result.data).toMatchObject({ email: "new.person@test.local", role: "support" });
    expect(result.data.password.length).toBeGreaterThanOrEqual(12);
    const created = await staffByEmail("new.person@test.local");
    expect(created?.passwordHash).not.toContain(result.data.password);
    expect(await verifyStaffCredentials(testDb.db, "new.person@test.local", result.data.password)).toMatchObject({ id: created!.id });
    expect(await audits("staff.create", created!.id)).toHaveLength(1);
  });

  it("create: inline errors for a bad e-mail and a taken one", async () => {
    expect(await run(createStaffSpec, "admin", form({ email: "not-an-email", role: "support" }))).toMatchObject({
      ok: false,
      code: "validation",
      fieldErrors: { email: "enter a valid e-mail address" },
    });
    expect(await run(createStaffSpec, "admin", form({ email: "x@test.local", role: "king" }))).toMatchObject({
      ok: false,
      code: "validation",
      fieldErrors: { role: "pick a role" },
    });
    await run(createStaffSpec, "admin", form({ email: "taken@test.local", role: "growth" }));
    expect(await run(createStaffSpec, "admin", form({ email: "TAKEN@test.local", role: "growth" }))).toMatchObject({
      ok: false,
      code: "conflict",
      fieldErrors: { email: "already in use" },
    });
  });

  it("change role: only admin, audited with before and after", async () => {
    const target = await insertStaff(testDb.db, "support");
    for (const role of refused) {
      expect(await run(setStaffRoleSpec, role, form({ staffId: target.staffId, role: "admin" })), role).toMatchObject({ ok: false, code: "forbidden" });
    }
    expect((await staffByEmail(target.email))?.role).toBe("support");
    expect(await run(setStaffRoleSpec, "admin", form({ staffId: target.staffId, role: "growth" }))).toEqual({
      ok: true,
      data: { id: target.staffId, role: "growth" },
    });
    const [audit] = await audits("staff.set_role", target.staffId);
    expect(audit).toMatchObject({ before: { role: "support" }, after: { role: "growth" } });
    expect(await run(setStaffRoleSpec, "admin", form({ staffId: "6f1c7b4e-8a2d-4c1e-9b3f-2a1d0c9e8f7a", role: "growth" }))).toMatchObject({
      ok: false,
      code: "not_found",
    });
  });

  it("disable/enable: only admin; a disabled member's session and tokens stop at once; enabling restores them", async () => {
    const target = await insertStaff(testDb.db, "growth");
    // The operator's CLI makes a token for a named member (the console cannot: tokens are their creator's).
    const token = { data: await createApiToken(testDb.db, null, { email: target.email, name: "scripts" }) };
    expect(await authenticateApiToken(testDb.db, token.data.token)).toMatchObject({ staffId: target.staffId });

    for (const role of refused) {
      expect(await run(setStaffDisabledSpec, role, form({ staffId: target.staffId, disabled: "true" })), role).toMatchObject({
        ok: false,
        code: "forbidden",
      });
    }
    expect(await actorForStaffId(testDb.db, target.staffId)).not.toBeNull();

    expect(await run(setStaffDisabledSpec, "admin", form({ staffId: target.staffId, disabled: "true" }))).toEqual({
      ok: true,
      data: { id: target.staffId, disabled: true },
    });
    expect(await actorForStaffId(testDb.db, target.staffId)).toBeNull();
    expect(await authenticateApiToken(testDb.db, token.data.token)).toBeNull();
    expect(await run(setStaffDisabledSpec, "admin", form({ staffId: target.staffId, disabled: "true" }))).toMatchObject({
      ok: false,
      code: "invalid_state",
    });

    expect(await run(setStaffDisabledSpec, "admin", form({ staffId: target.staffId, disabled: "false" }))).toMatchObject({
      ok: true,
      data: { disabled: false },
    });
    expect(await actorForStaffId(testDb.db, target.staffId)).toMatchObject({ role: "growth" });
    expect(await authenticateApiToken(testDb.db, token.data.token)).toMatchObject({ staffId: target.staffId });
    expect((await audits("staff.disable", target.staffId)).length).toBe(1);
    expect((await audits("staff.enable", target.staffId)).length).toBe(1);
  });

  it("disable: an admin cannot disable themselves (so one active admin always remains)", async () => {
    expect(await run(setStaffDisabledSpec, "admin", form({ staffId: staffIds.admin, disabled: "true" }))).toMatchObject({
      ok: false,
      code: "invalid_state",
      error: "You cannot disable your own account.",
    });
    expect(await actorForStaffId(testDb.db, staffIds.admin)).toMatchObject({ role: "admin" });
  });

  it("API tokens: only admin creates on this page, always their own (shown once, stored hashed, expiring) and revokes; a revoked token stops at once", async () => {
    const other = await insertStaff(testDb.db, "support");
    for (const role of refused) {
      expect(await run(createApiTokenSpec, role, form({ name: "nope" })), role).toMatchObject({ ok: false, code: "forbidden" });
    }
    expect(await testDb.db.select().from(apiTokens).where(eq(apiTokens.staffId, staffIds.growth))).toHaveLength(0);

    expect(await run(createApiTokenSpec, "admin", form({ name: "x", expiresInDays: "0" }))).toMatchObject({
      ok: false,
      fieldErrors: { expiresInDays: "must be at least 1" },
    });
    expect(await run(createApiTokenSpec, "admin", form({ name: "x", expiresInDays: "366" }))).toMatchObject({
      ok: false,
      fieldErrors: { expiresInDays: "must be at most 365" },
    });
    // A forged form naming another member still makes the admin's own token: there is no owner field.
    const created = await run(createApiTokenSpec, "admin", form({ email: other.email, name: "support-tool", expiresInDays: "30" }));
    if (!created.ok) throw new Error(created.error);
    expect(created.data.token.startsWith(created.data.prefix)).toBe(true);
    const [row] = await testDb.db.select().from(apiTokens).where(eq(apiTokens.id, created.data.id));
    expect(row!.staffId).toBe(staffIds.admin);
    expect(row!.tokenHash).not.toContain(created.data.token);
    expect(row!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    expect(row!.expiresAt.getTime()).toBeLessThan(Date.now() + 31 * 86_400_000);
    expect(await audits("api_token.create", created.data.id)).toHaveLength(1);
    expect(await testDb.db.select().from(apiTokens).where(eq(apiTokens.staffId, other.staffId))).toHaveLength(0);

    const defaulted = await run(createApiTokenSpec, "admin", form({ name: "default-expiry" }));
    if (!defaulted.ok) throw new Error(defaulted.error);
    const [defaultRow] = await testDb.db.select().from(apiTokens).where(eq(apiTokens.id, defaulted.data.id));
    expect(Math.round((defaultRow!.expiresAt.getTime() - defaultRow!.createdAt.getTime()) / 86_400_000)).toBe(90);

    for (const role of refused) {
      expect(await run(revokeApiTokenSpec, role, form({ tokenId: created.data.id })), role).toMatchObject({ ok: false, code: "forbidden" });
    }
    expect(await authenticateApiToken(testDb.db, created.data.token)).toMatchObject({ staffId: staffIds.admin, role: "admin" });
    expect(await run(revokeApiTokenSpec, "admin", form({ tokenId: created.data.id }))).toEqual({ ok: true, data: { id: created.data.id } });
    expect(await authenticateApiToken(testDb.db, created.data.token)).toBeNull();
    expect(await run(revokeApiTokenSpec, "admin", form({ tokenId: created.data.id }))).toMatchObject({ ok: false, code: "not_found" });
    expect(await audits("api_token.revoke", created.data.id)).toHaveLength(1);
  });
});
