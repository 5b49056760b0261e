// The Notifications page's server actions run as every role, server-side (as a forged request
// would arrive): support, growth and admin retry failed and resolve unknown notifications
// (audited); product is refused before any change. Also the page's attention list (masking).
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { auditEvents, notifications, type StaffRole } from "../../db/schema";
import { runStaffAction, type StaffActionSpec } from "../../app/_server/action-spec";
import { resolveNotificationSpec, retryNotificationSpec } from "../../app/(console)/notifications/action-specs";
import { listNotificationsNeedingAttention } from "../../lib/notifications/list-notifications";
import type { Actor } from "../../lib/auth/roles";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertStaff, uniqueMobile } from "../helpers/factories";

let testDb: TestDatabase;
const actors = {} as Record<StaffRole, Actor>;
const allowed: StaffRole[] = ["admin", "growth", "support"];

beforeAll(async () => {
  testDb = await createTestDatabase();
  for (const role of ["admin", "growth", "support", "product"] as const) actors[role] = await insertStaff(testDb.db, role);
});
afterAll(async () => {
  await testDb.drop();
});

function run<S extends z.ZodType, T>(spec: StaffActionSpec<S, T>, role: StaffRole, rawInput: unknown) {
  return runStaffAction({ db: testDb.db, staffId: actors[role].staffId, permission: spec.permission, schema: spec.schema, fn: spec.run, rawInput });
}

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
}

async function notification(status: "failed" | "unknown", recipient = uniqueMobile()) {
  const [row] = await testDb.db
    .insert(notifications)
    .values({ kind: "invitation", channel: "sms", status, recipient, attempts: 5, lastError: "provider said 500", secret: "ABCD-EFGH" })
    .returning();
  return row!;
}

async function statusOf(id: string) {
  const [row] = await testDb.db.select().from(notifications).where(eq(notifications.id, id));
  return row!.status;
}

async function audits(action: string, targetId: string) {
  return testDb.db.select().from(auditEvents).where(and(eq(auditEvents.action, action), eq(auditEvents.targetId, targetId)));
}

describe("notification server actions by role", () => {
  it("retry: support, growth and admin requeue a failed one (audited); product is refused", async () => {
    const forProduct = await notification("failed");
    expect(await run(retryNotificationSpec, "product", form({ notificationId: forProduct.id }))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await statusOf(forProduct.id)).toBe("failed");
    expect(await audits("notification.retry", forProduct.id)).toHaveLength(0);

    for (const role of allowed) {
      const n = await notification("failed");
      expect(await run(retryNotificationSpec, role, form({ notificationId: n.id })), role).toEqual({ ok: true, data: { id: n.id, status: "pending" } });
      expect(await statusOf(n.id)).toBe("pending");
      const [audit] = await audits("notification.retry", n.id);
      expect(audit?.actorId).toBe(actors[role].staffId);
      // Not failed any more: a second retry is refused with a clear message.
      expect(await run(retryNotificationSpec, role, form({ notificationId: n.id }))).toMatchObject({ ok: false, code: "invalid_state" });
    }
    expect(await run(retryNotificationSpec, "admin", form({ notificationId: "nope" }))).toMatchObject({ ok: false, code: "validation" });
  });

  it("resolve: support, growth and admin settle an unknown one as sent or failed (audited); product is refused", async () => {
    const forProduct = await notification("unknown");
    expect(await run(resolveNotificationSpec, "product", form({ notificationId: forProduct.id, outcome: "sent" }))).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    expect(await statusOf(forProduct.id)).toBe("unknown");

    for (const role of allowed) {
      const sent = await notification("unknown");
      expect(await run(resolveNotificationSpec, role, form({ notificationId: sent.id, outcome: "sent", note: "provider id 42" })), role).toEqual({
        ok: true,
        data: { id: sent.id, status: "sent" },
      });
      const lost = await notification("unknown");
      expect(await run(resolveNotificationSpec, role, form({ notificationId: lost.id, outcome: "failed" })), role).toEqual({
        ok: true,
        data: { id: lost.id, status: "failed" },
      });
      expect(await audits("notification.resolve", sent.id)).toHaveLength(1);
      expect(await audits("notification.resolve", lost.id)).toHaveLength(1);
    }
    const n = await notification("unknown");
    expect(await run(resolveNotificationSpec, "support", form({ notificationId: n.id, outcome: "maybe" }))).toMatchObject({
      ok: false,
      code: "validation",
      fieldErrors: { outcome: expect.any(String) },
    });
  });

  it("lists failed and unknown notifications newest first, phones masked for product", async () => {
    // Start from an empty outbox: the earlier tests of this file left rows behind.
    await testDb.db.delete(notifications).where(sql`true`);
    const phone = "+33612345678";
    const older = await notification("failed", phone);
    const newer = await notification("failed");
    await notification("unknown");
    const forSupport = await listNotificationsNeedingAttention(testDb.db, actors.support, { status: "failed" });
    expect(forSupport.total).toBe(2);
    expect(forSupport.rows.map((r) => r.id)).toEqual([newer.id, older.id]);
    expect(forSupport.rows[1]!.recipient).toBe(phone);
    const forProduct = await listNotificationsNeedingAttention(testDb.db, actors.product, { status: "failed" });
    expect(forProduct.rows[1]!.recipient).not.toBe(phone);
    expect(forProduct.rows[1]!.recipient).toMatch(/^\+336•+78$/);

    const firstPage = await listNotificationsNeedingAttention(testDb.db, actors.admin, { status: "failed", limit: 1 });
    expect(firstPage.rows.map((r) => r.id)).toEqual([newer.id]);
    const secondPage = await listNotificationsNeedingAttention(testDb.db, actors.admin, { status: "failed", limit: 1, after: firstPage.nextCursor! });
    expect(secondPage).toMatchObject({ nextCursor: null, rows: [{ id: older.id }] });
  });
});
