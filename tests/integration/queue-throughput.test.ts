// The throughput chart's counts: workers count finished jobs in memory and add them to Redis
// once a second (jobs/throughput.ts) instead of BullMQ's per-job metrics; counts made while
// Redis is unreachable are kept for the next flush.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { minuteOf, readThroughput, startThroughputCounter } from "../../jobs/throughput";
import { createRedis, waitUntilReady } from "../../lib/redis/connection";
import { startRedisServer } from "../../scripts/lib/services";
import { deleteKeysWithPrefix, testRedisUrl, uniqueQueuePrefix } from "../helpers/redis";

const prefix = uniqueQueuePrefix();
afterAll(() => deleteKeysWithPrefix(prefix));

describe("queue throughput counts", () => {
  it("adds each queue's completed and failed jobs to the current minute, and reads them oldest first", async () => {
    const redis = createRedis("producer", { target: { url: testRedisUrl() } });
    await waitUntilReady(redis);
    const counter = startThroughputCounter(redis, prefix);
    try {
      for (let i = 0; i < 5; i++) counter.count("notifications-sms", "completed");
      counter.count("notifications-sms", "failed");
      counter.count("notifications-email", "completed");
      await counter.flush();
      counter.count("notifications-sms", "completed");
      await counter.close();
      const now = Date.now();
      const sms = await readThroughput(redis, prefix, "notifications-sms", 3, now);
      const email = await readThroughput(redis, prefix, "notifications-email", 3, now);
      // A minute may have turned between counting and reading: the counts are in one of the last two.
      expect(sms.completed.reduce((a, b) => a + b, 0)).toBe(6);
      expect(sms.completed).toHaveLength(3);
      expect(sms.completed[0]).toBe(0);
      expect(sms.failed.reduce((a, b) => a + b, 0)).toBe(1);
      expect(email.completed.reduce((a, b) => a + b, 0)).toBe(1);
      expect(email.failed).toEqual([0, 0, 0]);
      // Kept for a day and an hour, then gone by themselves.
      const ttl = await redis.ttl(`${prefix}:{notifications-sms}:throughput:${minuteOf(now)}`);
      expect(ttl === -2 || (ttl > 86_400 && ttl <= 90_000)).toBe(true);
    } finally {
      redis.disconnect();
    }
  });

  it("keeps the counts while Redis is unreachable and adds them once it answers again", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "gh-throughput-redis-"));
    let server = (await startRedisServer(dir))!;
    const port = Number(new URL(server.url).port);
    const redis = createRedis("producer", { target: { url: server.url } });
    await waitUntilReady(redis);
    const counter = startThroughputCounter(redis, prefix);
    try {
      await server.stop();
      counter.count("webhooks", "completed");
      counter.count("webhooks", "completed");
      await counter.flush(); // refused: the counts stay in memory
      server = (await startRedisServer(dir, port))!;
      await waitUntilReady(redis);
      counter.count("webhooks", "completed");
      await counter.flush();
      expect((await readThroughput(redis, prefix, "webhooks", 2)).completed.reduce((a, b) => a + b, 0)).toBe(3);
    } finally {
      await counter.close();
      redis.disconnect();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
