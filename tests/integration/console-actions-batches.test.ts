// The Batches pages' server actions as every role (runStaffAction, the console's path): growth and
// admin preview, create (one batch per idempotency key, its run enqueued) and cancel; support
// and product are refused in the action and in the lib. Inline validation of the new-batch form.
import type { Queue } from "bullmq";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runStaffAction } from "../../app/_server/action-spec";
import { cancelBatchSpec, createBatchSpec, previewBatchSpec } from "../../app/(console)/batches/action-specs";
import { auditEvents, batches, type StaffRole } from "../../db/schema";
import { closeProducer } from "../../jobs/producer";
import { runBatch } from "../../jobs/definitions/admissions";
import { openQueue } from "../../jobs/queues";
import { env } from "../../lib/env.js";
import { createRedis, type RedisClient } from "../../lib/redis/connection";
import type { Actor } from "../../lib/auth/roles";
import { createBatch } from "../../lib/batches/create-batch";
import { listBatchesPage } from "../../lib/batches/list-batches";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertPhase, insertRegistration, insertStaff } from "../helpers/factories";
import { deleteKeysWithPrefix, testRedisUrl, uniqueQueuePrefix } from "../helpers/redis";

let db: TestDatabase;
let redis: RedisClient;
let runQueue: Queue;
const prefix = uniqueQueuePrefix();
const staff = {} as Record<StaffRole, Actor>;
const roles: StaffRole[] = ["admin", "growth", "support", "product"];
const allowed = (role: StaffRole) => role === "admin" || role === "growth";
let keySequence = 0;
const newKey = () => `console-test-${++keySequence}-${Date.now()}`;

function run<S extends typeof previewBatchSpec | typeof createBatchSpec | typeof cancelBatchSpec>(spec: S, role: StaffRole, rawInput: unknown) {
  return runStaffAction({ db: db.db, staffId: staff[role].staffId, permission: spec.permission, schema: spec.schema, rawInput, fn: spec.run as never });
}

beforeAll(async () => {
  db = await createTestDatabase();
  // The action enqueues through the process producer (REDIS_URL, QUEUE_PREFIX): point it at this test's prefix.
  Object.assign(env, { REDIS_URL: testRedisUrl(), QUEUE_PREFIX: prefix });
  redis = createRedis("producer", { target: { url: testRedisUrl() } });
  runQueue = openQueue(runBatch.queue, redis, prefix);
  await insertPhase(db.db, { status: "active", kind: "closed" });
  for (const role of roles) staff[role] = await insertStaff(db.db, role);
  for (let i = 0; i < 12; i++) await insertRegistration(db.db, { queuedAt: new Date(Date.now() - (12 - i) * 1000) });
});

afterAll(async () => {
  await runQueue?.close();
  redis?.disconnect();
  await closeProducer();
  await deleteKeysWithPrefix(prefix);
  await db?.drop();
});

describe("preview batch", () => {
  it.each(roles)("as %s", async (role) => {
    const result = await run(previewBatchSpec, role, { kind: "admit_next", size: "5" });
    if (allowed(role)) {
      expect(result).toMatchObject({ ok: true, data: { kind: "admit_next", requested: 5, selected: 5, firstPosition: 1, lastPosition: 5 } });
    } else {
      expect(result).toMatchObject({ ok: false, code: "forbidden" });
      await expect(previewBatchSpec.run({ kind: "admit_next", size: 5 }, staff[role], db.db)).rejects.toMatchObject({ code: "forbidden" });
    }
    // A dry run writes nothing.
    expect(await db.db.select().from(batches)).toEqual([]);
  });

  it("shows what each kind needs inline", async () => {
    expect(await run(previewBatchSpec, "growth", { kind: "admit_next" })).toMatchObject({ ok: false, code: "validation", fieldErrors: { size: "how many people to invite" } });
    expect(await run(previewBatchSpec, "growth", { kind: "targeted", targets: " \n , " })).toMatchObject({ ok: false, fieldErrors: { targets: expect.stringContaining("paste phone numbers") } });
    expect(await run(previewBatchSpec, "growth", { kind: "member_quota", amount: "0" })).toMatchObject({ ok: false, fieldErrors: { amount: "must be at least 1" } });
    expect(await run(previewBatchSpec, "growth", { kind: "admit_next", size: "3", country: "France" })).toMatchObject({ ok: false, fieldErrors: { country: expect.stringContaining("two-letter") } });
    expect(await run(previewBatchSpec, "growth", { kind: "nope" })).toMatchObject({ ok: false, fieldErrors: { kind: "choose a kind of batch" } });
  });

  it("previews a pasted targeted list with its exclusions", async () => {
    const held = await insertRegistration(db.db, { phone: "+33611000001", review: "hold" });
    const person = await insertRegistration(db.db, { phone: "+33611000002" });
    const result = await run(previewBatchSpec, "growth", { kind: "targeted", targets: `phone\n${person.phone}\n${held.phone}\nnot-a-phone\n${person.id}` });
    expect(result).toMatchObject({ ok: true, data: { kind: "targeted", requested: 4, selected: 1, excluded: { hold: 1, invalid: 1, duplicate: 1 } } });
  });
});

describe("create batch", () => {
  it.each(roles)("as %s", async (role) => {
    const idempotencyKey = newKey();
    const result = await run(createBatchSpec, role, { kind: "admit_next", size: "2", country: "fr", idempotencyKey });
    const created = await db.db.select().from(batches).where(eq(batches.idempotencyKey, idempotencyKey));
    if (allowed(role)) {
      expect(result).toMatchObject({ ok: true, data: { created: true } });
      const id = (result as { data: { id: string } }).data.id;
      expect(created.map((b) => [b.id, b.kind, b.requested, b.params])).toEqual([[id, "admit_next", 2, { kind: "admit_next", size: 2, filters: { country: ["FR"] } }]]);
      expect((await db.db.select().from(auditEvents).where(eq(auditEvents.targetId, id))).map((a) => a.action)).toEqual(["batch.create"]);
      // Its run is enqueued, with the batch id as job id.
      expect((await runQueue.getJob(id))?.data).toEqual({ batchId: id });
    } else {
      expect(result).toMatchObject({ ok: false, code: "forbidden" });
      await expect(createBatchSpec.run({ kind: "admit_next", size: 2, idempotencyKey }, staff[role], db.db)).rejects.toMatchObject({ code: "forbidden" });
      expect(created).toEqual([]);
    }
  });

  it("makes one batch of a double submit with the form's key", async () => {
    const idempotencyKey = newKey();
    const input = { kind: "admit_next", size: "3", idempotencyKey };
    const [first, second] = await Promise.all([run(createBatchSpec, "growth", input), run(createBatchSpec, "growth", input)]);
    expect(first.ok && second.ok).toBe(true);
    const ids = [first, second].map((r) => (r as { data: { id: string } }).data.id);
    expect(ids[0]).toBe(ids[1]);
    expect([first, second].map((r) => (r as { data: { created: boolean } }).data.created).sort()).toEqual([false, true]);
    expect(await db.db.select().from(batches).where(eq(batches.idempotencyKey, idempotencyKey))).toHaveLength(1);
  });

  it("refuses a missing key and the same key with another body", async () => {
    expect(await run(createBatchSpec, "growth", { kind: "admit_next", size: "3" })).toMatchObject({ ok: false, code: "validation", fieldErrors: { idempotencyKey: expect.any(String) } });
    const idempotencyKey = newKey();
    expect(await run(createBatchSpec, "growth", { kind: "admit_next", size: "3", idempotencyKey })).toMatchObject({ ok: true });
    expect(await run(createBatchSpec, "growth", { kind: "admit_next", size: "4", idempotencyKey })).toMatchObject({ ok: false, code: "idempotency_mismatch" });
  });
});

describe("cancel batch", () => {
  it.each(roles)("as %s", async (role) => {
    const { batch } = (await createBatch(db.db, staff.growth, { kind: "admit_next", size: 1 }, newKey())) as { batch: { id: string } };
    const result = await run(cancelBatchSpec, role, { batchId: batch.id });
    const [after] = await db.db.select().from(batches).where(eq(batches.id, batch.id));
    if (allowed(role)) {
      expect(result).toEqual({ ok: true, data: { id: batch.id, status: "cancelled" } });
      expect(after!.status).toBe("cancelled");
      // A finished batch cannot be cancelled again.
      expect(await run(cancelBatchSpec, role, { batchId: batch.id })).toMatchObject({ ok: false, code: "invalid_state" });
    } else {
      expect(result).toMatchObject({ ok: false, code: "forbidden" });
      await expect(cancelBatchSpec.run({ batchId: batch.id }, staff[role], db.db)).rejects.toMatchObject({ code: "forbidden" });
      expect(after!.status).toBe("queued");
    }
  });

  it("refuses an id that is not a batch", async () => {
    expect(await run(cancelBatchSpec, "growth", { batchId: "nope" })).toMatchObject({ ok: false, code: "validation", fieldErrors: { batchId: "unknown batch" } });
    expect(await run(cancelBatchSpec, "growth", { batchId: "00000000-0000-4000-8000-000000000000" })).toMatchObject({ ok: false, code: "not_found" });
  });
});

describe("batches list", () => {
  it("pages newest first, forwards and back, with filters", async () => {
    const all = (await listBatchesPage(db.db, staff.product, { limit: 200 })).rows;
    expect(all.length).toBeGreaterThanOrEqual(8);
    const seen: string[] = [];
    let page = await listBatchesPage(db.db, staff.product, { limit: 3 });
    expect(page.previousCursor).toBeNull();
    const pages = [page];
    while (page.nextCursor) {
      page = await listBatchesPage(db.db, staff.product, { limit: 3, after: page.nextCursor });
      pages.push(page);
    }
    for (const p of pages) seen.push(...p.rows.map((r) => r.id));
    expect(seen).toEqual(all.map((r) => r.id));
    // Back from the last page gives the page before it.
    const last = pages.at(-1)!;
    const back = await listBatchesPage(db.db, staff.product, { limit: 3, before: last.previousCursor! });
    expect(back.rows.map((r) => r.id)).toEqual(pages.at(-2)!.rows.map((r) => r.id));
    expect(all[0]!.createdByEmail).toMatch(/@test\.local$/);
    const cancelled = await listBatchesPage(db.db, staff.product, { status: "cancelled" });
    expect(cancelled.rows.length).toBe(2);
    expect(cancelled.rows.every((r) => r.status === "cancelled")).toBe(true);
  });
});
