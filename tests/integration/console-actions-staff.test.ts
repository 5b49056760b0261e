// Every Staff & API tokens server action run as every role, server-side (as a forged request
// would arrive): admin succeeds and is audited; growth, support and product are refused before
// any change. Plus the disable rules: no self-disable, and a
// disabled member's session and tokens stop working at once. The token actions (every member's
// own) are in console-actions-api-tokens.test.ts.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { auditEvents, staffUsers, type StaffRole } from "../../db/schema";
import { runStaffAction, type StaffActionSpec } from "../../app/_server/action-spec";
import { actorForStaffId } from "../../app/_server/staff-actor";
import { createStaffSpec, setStaffDisabledSpec, setStaffRoleSpec } from "../../app/(console)/staff/action-specs";
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
});
