// Batches run by the real BullMQ worker: created through the admin API (which enqueues the run),
// executed in chunks with counters moving, the messages relayed into the SMS queue; a batch
// whose enqueue was lost (Redis down at creation) is picked up by the dispatcher.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverSms } from "../../jobs/definitions/notifications";
import { batchDispatchProcessor, runBatchProcessor } from "../../jobs/processors/admissions";
import { closeProducer } from "../../jobs/producer";
import { env } from "../../lib/env.js";
import { startWorkers, type WorkersHandle } from "../../jobs/start-workers";
import type { Actor } from "../../lib/auth/roles";
import { createBatch } from "../../lib/batches/create-batch";
import { activatePhase } from "../../lib/phases/activate-phase";
import { createPhase } from "../../lib/phases/create-phase";
import { createApiToken } from "../../lib/staff/create-api-token";
import { createStaffUser } from "../../lib/staff/create-staff-user";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { callApi } from "../helpers/api";
import { insertStaff } from "../helpers/factories";
import { deleteKeysWithPrefix, testRedisUrl, uniqueQueuePrefix } from "../helpers/redis";
import { jsonRequest, releaseTestServices, useTestServices } from "../helpers/public-api";

let t: TestDatabase;
let handle: WorkersHandle;
const prefix = uniqueQueuePrefix();
let token: string;
let growth: Actor;


async function batchRow(id: string) {
  const [row] = await t.sql<{ status: string; selected: number; invited: number; notified: number }[]>`
    select status, selected, invited, notified from batches where id = ${id}`;
  return row!;
}

beforeAll(async () => {
  t = await createTestDatabase();
  await useTestServices({ databaseUrl: t.url, redisUrl: testRedisUrl(), prefix });
  await createStaffUser(t.db, null, { email: "growth@worker.test", role: "growth" });
  token = (await createApiToken(t.db, null, { email: "growth@worker.test" })).token;
  growth = await insertStaff(t.db, "growth");
  const product = await insertStaff(t.db, "product");
  await activatePhase(t.db, product, (await createPhase(t.db, product, { slug: "worker-wave", name: "Worker wave", kind: "closed" })).id);
  await t.sql`insert into registrations (phone, phone_hash, phone_country, platform, referral_code, status, queued_at)
    select '+3367' || lpad(g::text, 7, '0'), 'h' || g, 'FR', 'android', 'W' || g, 'waiting', now() - (g || ' seconds')::interval
    from generate_series(1, 2500) g`;
  handle = await startWorkers({
    db: t.db,
    redis: { url: testRedisUrl() },
    prefix,
    processors: [runBatchProcessor],
    relay: { idleMs: 20 },
    schedules: false,
    log: () => {},
  });
});
afterAll(async () => {
  await handle?.close();
  await closeProducer();
  await releaseTestServices();
  await deleteKeysWithPrefix(prefix);
  await t.drop();
});

describe("batch worker", () => {
  it("runs a batch created through the admin API to completion and relays its messages", async () => {
    // The Idempotency-Key header is required: without it the API refuses and writes nothing.
    const missing = await callApi(jsonRequest("/api/admin/v1/batches", { body: { kind: "admit_next", size: 1500 }, token }));
    expect(missing.status).toBe(400);
    const request = jsonRequest("/api/admin/v1/batches", { body: { kind: "admit_next", size: 1500 }, token });
    request.headers.set("idempotency-key", "worker-test-batch-1");
    const created = await callApi(request);
    expect(created.status).toBe(201);
    const { batch } = await created.json();
    await expect.poll(async () => (await batchRow(batch.id)).status, { timeout: 30_000 }).toBe("completed");
    expect(await batchRow(batch.id)).toEqual({ status: "completed", selected: 1500, invited: 1500, notified: 1500 });
    // The outbox relay moved every invitation message into the SMS queue.
    await expect
      .poll(async () => (await t.sql<{ n: number }[]>`select count(*)::int as n from notifications where kind = 'invitation' and status = 'pending'`)[0]?.n, { timeout: 30_000 })
      .toBe(0);
    const jobs = await handle.producer.queue(deliverSms).getJobCountByTypes("waiting", "prioritized", "delayed");
    expect(jobs).toBe(1500);
  });

  it("still creates the batch when Redis is down (the dispatcher runs it later)", async () => {
    await closeProducer();
    Object.assign(env, { REDIS_URL: "redis://127.0.0.1:1" });
    try {
      const request = jsonRequest("/api/admin/v1/batches", { body: { kind: "admit_next", size: 5 }, token });
      request.headers.set("idempotency-key", "worker-test-redis-down");
      const started = performance.now();
      const response = await callApi(request);
      expect(response.status).toBe(201);
      expect(performance.now() - started).toBeLessThan(5000);
      const { batch } = await response.json();
      expect((await batchRow(batch.id)).status).toBe("queued");
    } finally {
      await closeProducer();
      Object.assign(env, { REDIS_URL: testRedisUrl() });
    }
  });

  it("picks up a batch whose run was never enqueued", async () => {
    const result = await createBatch(t.db, growth, { kind: "admit_next", size: 10 }, "worker-test-lost-enqueue");
    if (result.dryRun) throw new Error("expected a batch");
    await t.sql`update batches set created_at = now() - interval '1 minute' where id = ${result.batch.id}`;
    await batchDispatchProcessor.run({}, { db: t.db, producer: handle.producer, log: () => {} } as never);
    await expect.poll(async () => (await batchRow(result.batch.id)).status, { timeout: 30_000 }).toBe("completed");
    expect(await batchRow(result.batch.id)).toMatchObject({ selected: 10 });
  });

  it("re-dispatches a running batch whose job was lost (Redis restarted empty), and only that one", async () => {
    const result = await createBatch(t.db, growth, { kind: "admit_next", size: 12 }, "worker-test-lost-running-job");
    if (result.dryRun) throw new Error("expected a batch");
    // Under way when its job vanished: running in the database, nothing in the queue.
    await t.sql`update batches set status = 'running', started_at = now() where id = ${result.batch.id}`;
    const dispatch = () => batchDispatchProcessor.run({}, { db: t.db, producer: handle.producer, log: () => {} } as never);
    expect(await dispatch()).toEqual({ dispatched: 1 });
    await expect.poll(async () => (await batchRow(result.batch.id)).status, { timeout: 30_000 }).toBe("completed");
    expect(await batchRow(result.batch.id)).toMatchObject({ selected: 12, invited: 12, notified: 12 });
    // Finished batches are left alone.
    expect(await dispatch()).toEqual({ dispatched: 0 });
  });
});
