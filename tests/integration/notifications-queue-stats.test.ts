import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notifications } from "../../db/schema";
import { allQueueNames } from "../../jobs/definitions";
import { startWorkers } from "../../jobs/worker";
import { freePort } from "../../scripts/lib/services";
import { getQueueStats } from "../../jobs/queue-stats";
import { createRedis } from "../../lib/redis/connection";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { deleteKeysWithPrefix, testRedisUrl, uniqueQueuePrefix } from "../helpers/redis";
import { bothChannels, countingProvider, insertOutbox, memoryLogger, statusCounts } from "../helpers/notifications";

let database: TestDatabase;
const prefix = uniqueQueuePrefix();

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
  await deleteKeysWithPrefix(prefix);
});

describe("queue statistics", () => {
  it("reports counts, throughput, statuses, oldest pending age and live workers; trims finished jobs", async () => {
    const redis = createRedis("producer", { target: { url: testRedisUrl() } });
    const handle = await startWorkers({
      db: database.db,
      redis: { url: testRedisUrl() },
      prefix,
      providers: bothChannels(countingProvider()),
      relay: { idleMs: 20 },
      schedules: false,
      log: memoryLogger(),
    });
    // More than the 1,000 completed jobs a delivery queue retains.
    await insertOutbox(database.db, 1100);
    await expect.poll(async () => (await statusCounts(database.db)).sent, { timeout: 60_000 }).toBe(1100);

    // The workers add their per-minute counts to Redis once a second.
    const completedOverFiveMinutes = async () =>
      (await getQueueStats({ db: database.db, redis, prefix, queueNames: allQueueNames, minutes: 5 })).queues
        .find((q) => q.name === "notifications-sms")!
        .completedPerMinute.reduce((a, b) => a + b, 0);
    await expect.poll(completedOverFiveMinutes, { timeout: 5_000 }).toBe(1100);
    // Counted by the workers, not by BullMQ's per-job metrics (≈ 45 µs of CPU a job).
    expect(await redis.exists(`${prefix}:{notifications-sms}:metrics:completed`)).toBe(0);
    const stats = await getQueueStats({ db: database.db, redis, prefix, queueNames: allQueueNames, minutes: 5 });
    expect(stats.redis).toBe("up");
    expect(stats.queues.map((q) => q.name)).toEqual([...allQueueNames]);
    const sms = stats.queues.find((q) => q.name === "notifications-sms")!;
    expect(sms.counts.completed).toBeGreaterThan(0);
    expect(sms.counts.completed).toBeLessThanOrEqual(1000);
    expect(sms.counts.waiting + sms.counts.active + sms.counts.failed).toBe(0);
    expect(sms.completedPerMinute).toHaveLength(5);
    expect(sms.completedPerMinute.reduce((a, b) => a + b, 0)).toBe(1100);
    expect(stats.notifications.byStatus).toMatchObject({ sent: 1100, pending: 0, failed: 0, unknown: 0 });
    expect(stats.notifications.oldestPendingAgeSeconds).toBeNull();
    expect(stats.workers).toEqual([expect.objectContaining({ workerId: handle.id, pid: process.pid, alive: true })]);
    expect(stats.workers[0]!.queues).toEqual(expect.arrayContaining(["notifications-sms", "notifications-email"]));

    await handle.close();
    await database.db.update(notifications).set({ createdAt: sql`now() - interval '2 minutes'` }).where(sql`id in (${sql.join((await insertOutbox(database.db, 2)).map((id) => sql`${id}::uuid`), sql`, `)})`);
    const after = await getQueueStats({ db: database.db, redis, prefix, queueNames: allQueueNames });
    expect(after.workers).toEqual([]);
    expect(after.notifications.byStatus.pending).toBe(2);
    expect(after.notifications.oldestPendingAgeSeconds).toBeGreaterThanOrEqual(119);
    redis.disconnect();
  });

  it("still answers the database half when Redis is down", async () => {
    const nothing = createRedis("probe", { target: { url: `redis://127.0.0.1:${await freePort()}` } });
    const stats = await getQueueStats({ db: database.db, redis: nothing, prefix, queueNames: allQueueNames });
    expect(stats.redis).toBe("down");
    expect(stats.queues).toEqual([]);
    expect(stats.notifications.byStatus.sent).toBe(1100);
    expect(stats.notifications.sentEstimated).toBe(false);
    nothing.disconnect();
  });

  it("estimates `sent` on a large outbox and still counts the other statuses exactly", async () => {
    await database.db.execute(sql`
      insert into notifications (kind, channel, status, recipient, locale, params, sent_at)
      select 'verification_code', 'sms', 'sent', '+3361' || lpad(g::text, 7, '0'), 'en', '{}', now()
      from generate_series(1, 20000) g`);
    await database.db.execute(sql`
      insert into notifications (kind, channel, status, recipient, locale, params, failed_at)
      select 'verification_code', 'sms', 'failed', '+3362' || lpad(g::text, 7, '0'), 'en', '{}', now()
      from generate_series(1, 3) g`);
    await database.owner`analyze notifications`;
    const nothing = createRedis("probe", { target: { url: `redis://127.0.0.1:${await freePort()}` } });
    const stats = await getQueueStats({ db: database.db, redis: nothing, prefix, queueNames: allQueueNames });
    nothing.disconnect();
    expect(stats.notifications.sentEstimated).toBe(true);
    expect(stats.notifications.byStatus).toMatchObject({ pending: 2, failed: 3, unknown: 0 });
    // ANALYZE samples; the estimate is close, not exact.
    expect(Math.abs(stats.notifications.byStatus.sent - 21_100)).toBeLessThan(1_000);
  });
});
