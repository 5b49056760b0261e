// SIGTERM during a slow send: the send completes and is recorded, the process exits 0, and the
// job ends completed (not stalled, not failed).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notifications } from "../../db/schema";
import { openQueue } from "../../jobs/queues";
import { createRedis } from "../../lib/redis/connection";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { deleteKeysWithPrefix, testRedisUrl, uniqueQueuePrefix } from "../helpers/redis";
import { insertOutbox, spawnWorker, startWebhookSink } from "../helpers/notifications";

let database: TestDatabase;
const prefix = uniqueQueuePrefix();
const dataDir = mkdtempSync(path.join(tmpdir(), "gh-worker-"));

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
  await deleteKeysWithPrefix(prefix);
  rmSync(dataDir, { recursive: true, force: true });
});

describe("worker process shutdown", () => {
  it("finishes the in-flight send on SIGTERM, then exits cleanly", async () => {
    let answeredAt = 0;
    const sink = await startWebhookSink(async () => {
      await new Promise((r) => setTimeout(r, 2000));
      answeredAt = Date.now();
      return { status: 200, body: { messageId: "slow-1" } };
    });
    const worker = await spawnWorker({
      DATABASE_URL: database.url,
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: prefix,
      DATA_DIR: dataDir,
      NOTIFY_PROVIDER: "webhook",
      NOTIFY_WEBHOOK_URL: sink.url,
      NOTIFY_WEBHOOK_SECRET: "shutdown-test-secret-0123",
      WORKER_SHUTDOWN_GRACE_MS: "10000",
    });
    try {
      await worker.waitForEvent("workers.started");
      const [id] = await insertOutbox(database.db, 1);
      await expect.poll(async () => sink.requests.length, { timeout: 30_000, message: "the send to start" }).toBe(1);

      const signalledAt = Date.now();
      worker.child.kill("SIGTERM");
      const exit = await worker.exited;
      expect(exit).toEqual({ code: 0, signal: null });
      // It waited for the provider's answer before exiting.
      expect(answeredAt).toBeGreaterThan(signalledAt);

      const [row] = await database.db.select().from(notifications).where(eq(notifications.id, id!));
      expect(row).toMatchObject({ status: "sent", attempts: 1, providerMessageId: "slow-1" });
      const events = worker.events.map((e) => e.event);
      expect(events).toEqual(expect.arrayContaining(["worker.signal", "workers.stopping", "workers.stopped", "worker.exit"]));
      expect(worker.events.find((e) => e.event === "workers.stopped")!.forced).toBe(false);

      const connection = createRedis("producer", { target: { url: testRedisUrl() } });
      const queue = openQueue("notifications-sms", connection, prefix);
      await queue.waitUntilReady();
      expect(await queue.getJobState(id!)).toBe("completed");
      expect((await queue.getJob(id!))!.stalledCounter).toBe(0);
      expect(await queue.getJobCounts("active", "wait", "failed")).toEqual({ active: 0, wait: 0, failed: 0 });
      await queue.close();
      connection.disconnect();
    } finally {
      if (worker.child.exitCode === null) worker.child.kill("SIGKILL");
      await sink.close();
    }
  });
});
