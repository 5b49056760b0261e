import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { notifications } from "../../db/schema";
import { openQueue } from "../../jobs/queues";
import { createRedis } from "../../lib/redis/connection";
import { startWorkers, type WorkersHandle } from "../../jobs/worker";
import { JobProducer } from "../../jobs/producer";
import { notificationEnqueuer } from "../../jobs/outbox-enqueue";
import { relayPendingNotifications } from "../../lib/notifications/relay";
import { insertNotifications } from "../../lib/notifications/outbox";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { deleteKeysWithPrefix, testRedisUrl, uniqueQueuePrefix } from "../helpers/redis";
import { bothChannels, countingProvider, insertOutbox, memoryLogger, outboxMessage, statusCounts } from "../helpers/notifications";

let database: TestDatabase;
let handles: WorkersHandle[] = [];
const prefixes: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});

afterEach(async () => {
  await Promise.all(handles.map((h) => h.close()));
  handles = [];
  await database.db.delete(notifications).where(sql`true`);
});

afterAll(async () => {
  await database.drop();
  for (const prefix of prefixes) await deleteKeysWithPrefix(prefix);
});

function newPrefix(): string {
  const prefix = uniqueQueuePrefix();
  prefixes.push(prefix);
  return prefix;
}

async function start(prefix: string, provider = countingProvider(), extra: Partial<Parameters<typeof startWorkers>[0]> = {}) {
  const handle = await startWorkers({
    db: database.db,
    redis: { url: testRedisUrl() },
    prefix,
    providers: bothChannels(provider),
    relay: { idleMs: 20 },
    schedules: false,
    graceMs: 5000,
    log: memoryLogger(),
    ...extra,
  });
  handles.push(handle);
  return handle;
}

describe("outbox relay", () => {
  it("delivers every row committed while it runs exactly once, including rows committed late", async () => {
    const prefix = newPrefix();
    const provider = countingProvider();
    await start(prefix, provider);

    // 30 writers × 20 transactions × 5 rows, interleaved; some transactions stay open a while
    // after inserting, so their rows (older created_at) commit after newer ones were relayed.
    const writers = Array.from({ length: 30 }, async (_, w) => {
      for (let t = 0; t < 20; t++) {
        await database.db.transaction(async (tx) => {
          await insertNotifications(tx, Array.from({ length: 5 }, () => outboxMessage({ channel: (w + t) % 4 === 0 ? "email" : "sms" })));
          if ((w + t) % 7 === 0) await new Promise((r) => setTimeout(r, 30 + Math.random() * 120));
        });
      }
    });
    await Promise.all(writers);
    const expected = 30 * 20 * 5;

    await expect.poll(async () => (await statusCounts(database.db)).sent, { timeout: 60_000, message: "all sent" }).toBe(expected);
    expect(provider.total()).toBe(expected);
    expect(provider.duplicates()).toEqual([]);
    expect(new Set(provider.messages.map((m) => m.id)).size).toBe(expected);
    const [row] = await database.db.select().from(notifications).limit(1);
    expect(row!.queuedAt).not.toBeNull();
    expect(row!.sentAt).not.toBeNull();
    expect(row!.secret).toBeNull();
    expect(row!.providerMessageId).toBe(`test-${row!.id}`);
  });

  it("does not duplicate after a crash between enqueue and commit, or across relay restarts", async () => {
    const prefix = newPrefix();
    const ids = await insertOutbox(database.db, 300);

    // A relay pass that got its jobs into Redis but died before committing `queued`.
    const connection = createRedis("producer", { target: { url: testRedisUrl() } });
    const producer = new JobProducer(connection, prefix);
    const enqueue = notificationEnqueuer(producer);
    await expect(
      relayPendingNotifications(database.db, {
        chunkSize: 100,
        enqueue: async (rows) => {
          await enqueue(rows);
          throw new Error("crash after addBulk");
        },
      }),
    ).rejects.toThrow("crash after addBulk");
    expect((await statusCounts(database.db)).pending).toBe(300);
    const queue = openQueue("notifications-sms", connection, prefix);
    expect(await queue.getWaitingCount()).toBe(100);

    // Relays start and stop repeatedly while rows keep arriving.
    const provider = countingProvider();
    const first = await start(prefix, provider);
    await insertOutbox(database.db, 200);
    await first.close();
    const second = await start(prefix, provider);
    await insertOutbox(database.db, 200);
    await expect.poll(async () => (await statusCounts(database.db)).sent, { timeout: 30_000, message: "all sent" }).toBe(700);
    await second.close();

    expect(provider.total()).toBe(700);
    expect(provider.duplicates()).toEqual([]);
    for (const id of ids) expect(provider.counts.get(id)).toBe(1);
    await queue.close();
    await producer.close();
    connection.disconnect();
  });

  it("skips a job whose row is already claimed or sent (re-delivered jobs do nothing)", async () => {
    const prefix = newPrefix();
    const provider = countingProvider();
    const handle = await start(prefix, provider);
    const [id] = await insertOutbox(database.db, 1);
    await expect.poll(async () => (await statusCounts(database.db)).sent, { timeout: 30_000 }).toBe(1);

    // The same notification added again under another job id: the claim finds it sent.
    const connection = createRedis("producer", { target: { url: testRedisUrl() } });
    const queue = openQueue("notifications-sms", connection, prefix);
    const job = await queue.add("notifications-sms", { notificationId: id }, { jobId: `again-${id}` });
    await expect.poll(async () => (await queue.getJobState(job.id!)), { timeout: 30_000 }).toBe("completed");
    expect((await queue.getJob(job.id!))!.returnvalue).toBe("skipped");
    expect(provider.counts.get(id!)).toBe(1);
    await queue.close();
    connection.disconnect();
    await handle.close();
  });
});

describe("worker shutdown", () => {
  it("lets an in-flight send finish, then closes", async () => {
    const prefix = newPrefix();
    const provider = countingProvider({ delayMs: 1500 });
    const log = memoryLogger();
    const handle = await start(prefix, provider, { log });
    const [id] = await insertOutbox(database.db, 1);
    await expect
      .poll(async () => (await database.db.select({ status: notifications.status }).from(notifications).where(eq(notifications.id, id!)))[0]?.status, { timeout: 30_000 })
      .toBe("sending");
    const started = Date.now();
    await handle.close();
    expect(Date.now() - started).toBeLessThan(5000);
    const [row] = await database.db.select().from(notifications).where(eq(notifications.id, id!));
    expect(row!.status).toBe("sent");
    expect(provider.counts.get(id!)).toBe(1);
    expect(log.events.map((e) => e.event)).toEqual(expect.arrayContaining(["workers.started", "workers.stopping", "workers.stopped"]));
    expect(log.events.find((e) => e.event === "workers.stopped")!.fields.forced).toBe(false);

    const connection = createRedis("producer", { target: { url: testRedisUrl() } });
    const queue = openQueue("notifications-sms", connection, prefix);
    expect(await queue.getJobCounts("active", "wait", "delayed")).toEqual({ active: 0, wait: 0, delayed: 0 });
    await queue.close();
    connection.disconnect();
  });
});
