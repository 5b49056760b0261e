// Keyset pagination of the audit log: every row exactly once in both directions, ties on
// created_at broken by id, filters on actor/action/target, and the filter menus.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents } from "../../db/schema";
import { recordAudit } from "../../lib/audit/record-audit";
import type { Actor } from "../../lib/auth/roles";
import { listAuditEvents, listAuditFilterOptions, type AuditListInput } from "../../lib/audit/list-audit-events";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertStaff } from "../helpers/factories";

let testDb: TestDatabase;
let alice: Actor;
let bob: Actor;

beforeAll(async () => {
  testDb = await createTestDatabase();
  alice = await insertStaff(testDb.db, "admin");
  bob = await insertStaff(testDb.db, "product");
  // Three transactions of several rows each: rows inside one share created_at (now()).
  for (let t = 0; t < 3; t++) {
    await testDb.db.transaction(async (tx) => {
      for (let i = 0; i < 8; i++) {
        await recordAudit(tx, {
          actor: i % 3 === 0 ? null : i % 2 === 0 ? alice : bob,
          action: i % 2 === 0 ? "phase.activate" : "registration.remove",
          targetType: i % 2 === 0 ? "phase" : "registration",
          targetId: `target-${t}-${i}`,
        });
      }
    });
  }
});
afterAll(async () => {
  await testDb.drop();
});

async function allIdsInOrder(direction: "desc" | "asc"): Promise<number[]> {
  const rows = await testDb.db.select({ id: auditEvents.id, createdAt: auditEvents.createdAt }).from(auditEvents);
  const sign = direction === "desc" ? -1 : 1;
  return rows
    .sort((a, b) => sign * (a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id))
    .map((r) => r.id);
}

async function walk(input: AuditListInput) {
  const pages: number[][] = [];
  let after: number | undefined;
  for (;;) {
    const page = await listAuditEvents(testDb.db, alice, { ...input, after, limit: 5 });
    pages.push(page.rows.map((r) => r.id));
    if (page.nextCursor === null) return { pages, last: page };
    after = page.nextCursor;
  }
}

describe("listAuditEvents", () => {
  for (const dir of ["desc", "asc"] as const) {
    it(`returns every row exactly once, in (created_at, id) ${dir} order, page by page`, async () => {
      const { pages } = await walk({ dir });
      expect(pages.flat()).toEqual(await allIdsInOrder(dir));
      expect(pages.length).toBe(5); // 24 rows, 5 a page
    });

    it(`walks back with previousCursor to the first page (${dir})`, async () => {
      const { pages, last } = await walk({ dir });
      const seen: number[][] = [last.rows.map((r) => r.id)];
      let before = last.previousCursor;
      while (before !== null) {
        const page = await listAuditEvents(testDb.db, alice, { dir, before, limit: 5 });
        seen.unshift(page.rows.map((r) => r.id));
        before = page.previousCursor;
      }
      expect(seen.flat()).toEqual(pages.flat());
    });
  }

  it("has no previous page on the first page and no next page on the last", async () => {
    const first = await listAuditEvents(testDb.db, alice, { limit: 5 });
    expect(first.previousCursor).toBeNull();
    expect(first.nextCursor).not.toBeNull();
    const everything = await listAuditEvents(testDb.db, alice, { limit: 200 });
    expect(everything.rows).toHaveLength(24);
    expect(everything.nextCursor).toBeNull();
  });

  it("filters by actor e-mail (any case), by system, by action and by target", async () => {
    const byAlice = await listAuditEvents(testDb.db, bob, { actor: alice.email.toUpperCase(), limit: 200 });
    expect(byAlice.rows.length).toBeGreaterThan(0);
    expect(byAlice.rows.every((r) => r.actorId === alice.staffId)).toBe(true);

    const bySystem = await listAuditEvents(testDb.db, bob, { actor: "system", limit: 200 });
    expect(bySystem.rows).toHaveLength(9);
    expect(bySystem.rows.every((r) => r.actorId === null && r.actorLabel === "system")).toBe(true);

    const byAction = await listAuditEvents(testDb.db, bob, { action: "registration.remove", limit: 200 });
    expect(byAction.rows).toHaveLength(12);

    const byTarget = await listAuditEvents(testDb.db, bob, { targetType: "phase", targetId: "target-1-2", limit: 200 });
    expect(byTarget.rows.map((r) => r.targetId)).toEqual(["target-1-2"]);

    const nobody = await listAuditEvents(testDb.db, bob, { actor: "nobody@nowhere.test" });
    expect(nobody).toEqual({ rows: [], nextCursor: null, previousCursor: null });
  });

  it("pages through a filtered set too", async () => {
    const { pages } = await walk({ action: "phase.activate" });
    expect(pages.flat()).toHaveLength(12);
    expect(new Set(pages.flat()).size).toBe(12);
  });

  it("rejects an invalid cursor or limit", async () => {
    const invalid = (path: string, code: string) => ({ issues: [expect.objectContaining({ code, path: [path] })] });
    await expect(listAuditEvents(testDb.db, alice, { after: -3 })).rejects.toMatchObject(invalid("after", "too_small"));
    await expect(listAuditEvents(testDb.db, alice, { limit: 100_000 })).rejects.toMatchObject(invalid("limit", "too_big"));
    await expect(listAuditEvents(testDb.db, alice, { limit: 0 })).rejects.toMatchObject(invalid("limit", "too_small"));
  });

  it("lists the distinct actions and target types for the filter menus", async () => {
    expect(await listAuditFilterOptions(testDb.db)).toEqual({
      actions: ["phase.activate", "registration.remove"],
      targetTypes: ["phase", "registration"],
    });
  });
});

describe("iterateAuditEvents", () => {
  it("yields every matching event once, in list order, across pages", async () => {
    const { iterateAuditEvents } = await import("../../lib/audit/list-audit-events");
    const ids: number[] = [];
    for await (const page of iterateAuditEvents(testDb.db, alice, { dir: "asc" }, 4)) ids.push(...page.map((e) => e.id));
    expect(ids).toEqual(await allIdsInOrder("asc"));
  });
});

describe("countAuditEvents", () => {
  it("counts exactly while the table is small, with and without filters", async () => {
    const { countAuditEvents } = await import("../../lib/audit/list-audit-events");
    expect(await countAuditEvents(testDb.db, {})).toEqual({ value: 24, kind: "exact" });
    expect(await countAuditEvents(testDb.db, { action: "phase.activate" })).toEqual({ value: 12, kind: "exact" });
    expect(await countAuditEvents(testDb.db, { actor: "nobody@nowhere.test" })).toEqual({ value: 0, kind: "exact" });
  });

  it("stops a filtered count at 10,000 and estimates the unfiltered total of a large table", async () => {
    const { countAuditEvents } = await import("../../lib/audit/list-audit-events");
    await testDb.sql`insert into audit_events (actor_label, action, target_type) select 'system', 'bulk.test', 'phase' from generate_series(1, 10050)`;
    expect(await countAuditEvents(testDb.db, { action: "bulk.test" })).toEqual({ value: 10_000, kind: "atLeast" });
    await testDb.owner`analyze audit_events`;
    const total = await countAuditEvents(testDb.db, {});
    expect(total.kind).toBe("estimate");
    expect(total.value).toBeGreaterThan(9_000);
    expect(total.value).toBeLessThan(11_000);
  });
});

describe("numbers in audit rows", () => {
  it("are masked when written, also inside text, and masked on read for product in rows written before", async () => {
    await recordAudit(testDb.db, {
      actor: alice,
      action: "notification.retry",
      targetType: "notification",
      targetId: "masking-written",
      before: { recipient: "+33612345678", lastError: "400: invalid To +33612345678" },
    });
    const [written] = (await listAuditEvents(testDb.db, alice, { targetId: "masking-written" })).rows;
    expect(written!.before).toEqual({ recipient: "+336••••••78", lastError: "400: invalid To +336••••••78" });
    // As an older release wrote it: the number inside the text in full.
    await testDb.db.insert(auditEvents).values({ actorLabel: "system", action: "notification.retry", targetType: "notification", targetId: "masking-old", before: { lastError: "400: invalid To +33612345678" } });
    const [asProduct] = (await listAuditEvents(testDb.db, bob, { targetId: "masking-old" })).rows;
    expect(asProduct!.before).toEqual({ lastError: "400: invalid To +336••••••78" });
    const [asAdmin] = (await listAuditEvents(testDb.db, alice, { targetId: "masking-old" })).rows;
    expect(asAdmin!.before).toEqual({ lastError: "400: invalid To +33612345678" });
  });
});
