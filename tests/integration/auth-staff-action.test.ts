// The server-action core: the staff row is re-read on every call, so a role change or a
// disable applies to the very next action; input parsing and error mapping.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { zfd } from "zod-form-data";
import { staffUsers } from "../../db/schema";
import { AppError } from "../../lib/errors";
import { country, wholeNumber } from "../../lib/validation/fields";
import { runStaffAction } from "../../app/_server/action-spec";
import { actorForStaffId } from "../../app/_server/staff-actor";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertStaff } from "../helpers/factories";

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb.drop();
});

const grantInput = z.object({ amount: z.coerce.number().int().positive(), reason: z.string().min(3) });

function grant(staffId: string | null, rawInput: unknown) {
  return runStaffAction({
    db: testDb.db,
    staffId,
    permission: "manage_batches",
    schema: grantInput,
    rawInput,
    fn: async (input, actor) => ({ granted: input.amount, by: actor.email, role: actor.role }),
  });
}

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
}

describe("runStaffAction", () => {
  it("refuses a missing session and an unknown or malformed staff id as unauthenticated", async () => {
    expect(await grant(null, { amount: 1, reason: "why" })).toMatchObject({ ok: false, code: "unauthenticated" });
    expect(await grant("9d6f9c5e-51d4-4b8e-9a43-2b7c3d1e0f00", {})).toMatchObject({ ok: false, code: "unauthenticated" });
    expect(await grant("not-a-uuid", {})).toMatchObject({ ok: false, code: "unauthenticated" });
  });

  it("re-reads the role on every call: a role change applies to the next action", async () => {
    const staff = await insertStaff(testDb.db, "support");
    const input = form({ amount: "3", reason: "launch week" });
    expect(await grant(staff.staffId, input)).toMatchObject({ ok: false, code: "forbidden" });

    await testDb.db.update(staffUsers).set({ role: "growth" }).where(eq(staffUsers.id, staff.staffId));
    expect(await grant(staff.staffId, input)).toEqual({ ok: true, data: { granted: 3, by: staff.email, role: "growth" } });

    await testDb.db.update(staffUsers).set({ role: "product" }).where(eq(staffUsers.id, staff.staffId));
    expect(await grant(staff.staffId, input)).toMatchObject({ ok: false, code: "forbidden" });
  });

  it("refuses a disabled staff member at once", async () => {
    const staff = await insertStaff(testDb.db, "admin");
    expect((await grant(staff.staffId, { amount: 1, reason: "ok!" })).ok).toBe(true);
    await testDb.db.update(staffUsers).set({ disabledAt: new Date() }).where(eq(staffUsers.id, staff.staffId));
    expect(await grant(staff.staffId, { amount: 1, reason: "ok!" })).toMatchObject({ ok: false, code: "unauthenticated" });
    expect(await actorForStaffId(testDb.db, staff.staffId)).toBeNull();
  });

  it("parses FormData with coercion and reports invalid fields by name", async () => {
    const staff = await insertStaff(testDb.db, "growth");
    const result = await grant(staff.staffId, form({ amount: "-2", reason: "" }));
    expect(result).toMatchObject({ ok: false, code: "validation" });
    if (result.ok) throw new Error("unreachable");
    expect(Object.keys(result.fieldErrors ?? {}).sort()).toEqual(["amount", "reason"]);
  });

  it("maps an AppError thrown by the lib call to { ok: false, error, fieldErrors }", async () => {
    const staff = await insertStaff(testDb.db, "admin");
    const result = await runStaffAction({
      db: testDb.db,
      staffId: staff.staffId,
      permission: "manage_staff",
      schema: z.object({ email: z.string() }),
      rawInput: { email: "taken@test.local" },
      fn: async () => {
        throw new AppError("conflict", "A staff member with that e-mail exists.", { fieldErrors: [{ path: "email", message: "already in use" }] });
      },
    });
    expect(result).toEqual({
      ok: false,
      code: "conflict",
      error: "A staff member with that e-mail exists.",
      fieldErrors: { email: "already in use" },
    });
  });

  it("lets unexpected errors propagate (the action wrapper logs them)", async () => {
    const staff = await insertStaff(testDb.db, "admin");
    await expect(
      runStaffAction({
        db: testDb.db,
        staffId: staff.staffId,
        permission: "view",
        schema: z.object({}),
        rawInput: {},
        fn: async () => {
          throw new TypeError("boom");
        },
      }),
    ).rejects.toThrow("boom");
  });
});

describe("FormData through zod-form-data", () => {
  it("turns repeated keys into arrays, ignores Next's $ACTION fields, and lets the field rules read an empty field as not given", async () => {
    const staff = await insertStaff(testDb.db, "admin");
    const data = new FormData();
    data.append("$ACTION_ID_abc", "");
    data.append("$ACTION_REF_1", "x");
    data.append("name", "");
    data.append("country", "fr");
    data.append("country", "DE");
    data.append("size", "10");
    const result = await runStaffAction({
      db: testDb.db,
      staffId: staff.staffId,
      permission: "view",
      schema: z.object({
        name: zfd.text(z.string().optional()),
        country: zfd.repeatableOfType(country()),
        size: zfd.numeric(wholeNumber(1, 100)),
      }),
      rawInput: data,
      fn: async (input) => input,
    });
    expect(result).toEqual({ ok: true, data: { country: ["FR", "DE"], size: 10 } });
  });
});
