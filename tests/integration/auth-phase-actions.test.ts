// Every Phases-page server action run as every role, server-side (as a forged request would
// arrive): allowed roles succeed and are audited, the others are refused before any change.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, phases, type StaffRole } from "../../db/schema";
import { runStaffAction, type StaffActionSpec } from "../../app/_server/action-spec";
import {
  activatePhaseSpec,
  closePhaseSpec,
  createPhaseSpec,
  schedulePhaseSpec,
  updatePhaseSpec,
} from "../../app/(console)/phases/action-specs";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertPhase, insertStaff } from "../helpers/factories";
import type { z } from "zod";

let testDb: TestDatabase;
const staffIds = {} as Record<StaffRole, string>;

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

function form(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const value of [v].flat()) data.append(k, value);
  return data;
}

async function auditCount(action: string, targetId: string) {
  const rows = await testDb.db.select().from(auditEvents).where(and(eq(auditEvents.action, action), eq(auditEvents.targetId, targetId)));
  return rows.length;
}

const allowed: StaffRole[] = ["admin", "product"];
const refused: StaffRole[] = ["growth", "support"];

describe("phase server actions by role", () => {
  it("create: admin and product create a draft from form strings; growth and support are refused", async () => {
    for (const role of refused) {
      const result = await run(createPhaseSpec, role, form({ name: "Nope", slug: `nope-${role}`, kind: "closed" }));
      expect(result, role).toMatchObject({ ok: false, code: "forbidden" });
    }
    expect(await testDb.db.select().from(phases)).toHaveLength(0);

    for (const role of allowed) {
      const result = await run(
        createPhaseSpec,
        role,
        form({
          name: `Wave ${role}`,
          slug: `wave-${role}`,
          kind: "closed",
          capacity: "5000",
          dailyAdmissionCap: "",
          memberInviteQuota: "3",
          invitationTtlHours: "48",
          expiredPlacement: "back",
          autoReactivateExpired: "on",
          countries: "fr, be",
          platforms: ["android", "ios"],
          startsAt: "2030-01-01T09:00",
        }),
      );
      expect(result, role).toMatchObject({ ok: true });
      if (!result.ok) continue;
      const [phase] = await testDb.db.select().from(phases).where(eq(phases.id, result.data.id));
      expect(phase).toMatchObject({
        status: "draft",
        capacity: 5000,
        dailyAdmissionCap: null,
        memberInviteQuota: 3,
        invitationTtlHours: 48,
        expiredPlacement: "back",
        autoReactivateExpired: true,
        countries: ["FR", "BE"],
        platforms: null,
      });
      expect(phase!.startsAt?.toISOString()).toBe("2030-01-01T09:00:00.000Z");
      expect(await auditCount("phase.create", phase!.id)).toBe(1);
    }
  });

  it("create: reports invalid form fields by name", async () => {
    const result = await run(createPhaseSpec, "product", form({ name: "", slug: "Bad Slug", kind: "closed", capacity: "-4", countries: "France" }));
    expect(result).toMatchObject({ ok: false, code: "validation" });
    if (result.ok) return;
    expect(Object.keys(result.fieldErrors ?? {}).sort()).toEqual(["capacity", "countries", "name", "slug"]);
  });

  it("schedule, activate and close: refused for growth and support, done and audited for admin and product", async () => {
    for (const role of allowed) {
      const phase = await insertPhase(testDb.db, { name: `Lifecycle ${role}` });
      for (const other of refused) {
        expect(await run(schedulePhaseSpec, other, form({ phaseId: phase.id, startsAt: "2031-05-01T08:30" }))).toMatchObject({ ok: false, code: "forbidden" });
        expect(await run(activatePhaseSpec, other, { phaseId: phase.id })).toMatchObject({ ok: false, code: "forbidden" });
        expect(await run(closePhaseSpec, other, { phaseId: phase.id })).toMatchObject({ ok: false, code: "forbidden" });
      }
      const [untouched] = await testDb.db.select().from(phases).where(eq(phases.id, phase.id));
      expect(untouched!.status).toBe("draft");

      expect(await run(schedulePhaseSpec, role, form({ phaseId: phase.id, startsAt: "2031-05-01T08:30" }))).toEqual({
        ok: true,
        data: { id: phase.id, status: "scheduled" },
      });
      expect(await run(activatePhaseSpec, role, form({ phaseId: phase.id }))).toEqual({ ok: true, data: { id: phase.id, status: "active" } });
      expect(await run(closePhaseSpec, role, form({ phaseId: phase.id }))).toEqual({ ok: true, data: { id: phase.id, status: "closed" } });
      for (const action of ["phase.schedule", "phase.activate", "phase.close"]) expect(await auditCount(action, phase.id), action).toBe(1);
    }
  });

  it("maps the lib's refusals to a readable result", async () => {
    const phase = await insertPhase(testDb.db, { status: "closed" });
    expect(await run(activatePhaseSpec, "product", { phaseId: phase.id })).toMatchObject({ ok: false, code: "invalid_state" });
    expect(await run(activatePhaseSpec, "product", { phaseId: "not-a-uuid" })).toMatchObject({ ok: false, code: "validation" });
    expect(await run(closePhaseSpec, "product", { phaseId: "0d6b0a4e-1f7a-4a8e-9d4e-2b1f3c5a7e90" })).toMatchObject({ ok: false, code: "not_found" });
  });

  it("edit: form strings for admin and product (an emptied field clears the setting); growth and support refused", async () => {
    const phase = await insertPhase(testDb.db, { capacity: 10, dailyAdmissionCap: 5, countries: ["FR"], endsAt: new Date("2032-01-01T00:00:00Z") });
    const fields = (name: string) =>
      form({
        phaseId: phase.id,
        scope: "all",
        name,
        slug: phase.slug,
        kind: "closed",
        startsAt: "2031-06-01T08:00",
        endsAt: "",
        capacity: "2500",
        dailyAdmissionCap: "",
        memberInviteQuota: "4",
        invitationTtlHours: "24",
        expiredPlacement: "back",
        countries: "",
        platforms: ["ios"],
      });
    for (const role of refused) expect(await run(updatePhaseSpec, role, fields("Nope")), role).toMatchObject({ ok: false, code: "forbidden" });
    for (const role of allowed) {
      expect(await run(updatePhaseSpec, role, fields(`Edited ${role}`)), role).toEqual({ ok: true, data: { id: phase.id, slug: phase.slug } });
      const [row] = await testDb.db.select().from(phases).where(eq(phases.id, phase.id));
      expect(row).toMatchObject({
        name: `Edited ${role}`,
        capacity: 2500,
        dailyAdmissionCap: null,
        endsAt: null,
        countries: null,
        platforms: ["ios"],
        memberInviteQuota: 4,
        invitationTtlHours: 24,
        expiredPlacement: "back",
        autoReactivateExpired: false,
      });
      expect(row!.startsAt?.toISOString()).toBe("2031-06-01T08:00:00.000Z");
    }
    expect(await auditCount("phase.update", phase.id)).toBe(2);
  });

  it("edit: an active phase's form (scope running) leaves the start alone and reports refused fields by name", async () => {
    await testDb.db.update(phases).set({ status: "closed" }).where(eq(phases.status, "active"));
    const startsAt = new Date("2026-01-05T10:00:00Z");
    const phase = await insertPhase(testDb.db, { status: "active", startsAt, activatedAt: startsAt, capacity: 10 });
    const result = await run(updatePhaseSpec, "product", form({ phaseId: phase.id, scope: "running", name: "Live", capacity: "20", invitationTtlHours: "72" }));
    expect(result).toMatchObject({ ok: true });
    const [row] = await testDb.db.select().from(phases).where(eq(phases.id, phase.id));
    expect(row).toMatchObject({ name: "Live", capacity: 20, startsAt });
    const refusedKind = await run(updatePhaseSpec, "product", form({ phaseId: phase.id, scope: "all", name: "Live", kind: "open", startsAt: "" }));
    expect(refusedKind).toMatchObject({ ok: false, code: "invalid_state", fieldErrors: { kind: "fixed while the phase is active", startsAt: "fixed while the phase is active" } });
  });
});
