// A Redis Cluster primary dies mid-stream: three primaries with a replica each; while the worker
// delivers a stream of notifications, the primary holding the SMS queue is SIGKILLed. Its replica
// takes over; every notification is still delivered, and none twice (the database claim decides
// who sends; jobs lost with the primary's unreplicated writes are found again by the relay's repair).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorkers, type WorkersHandle } from "../../jobs/start-workers";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { bothChannels, countingProvider, insertOutbox, statusCounts } from "../helpers/notifications";
import { startRedisCluster, type RedisClusterUnderTest } from "../helpers/redis-cluster";
import { uniqueQueuePrefix } from "../helpers/redis";

const TOTAL = 600;

let cluster: RedisClusterUnderTest;
let t: TestDatabase;
let handle: WorkersHandle | undefined;
const prefix = uniqueQueuePrefix();

beforeAll(async () => {
  [cluster, t] = await Promise.all([startRedisCluster({ primaries: 3, replicasPerPrimary: 1 }), createTestDatabase()]);
}, 120_000);

afterAll(async () => {
  await handle?.close();
  await cluster?.stop();
  await t?.drop();
});

describe("Redis Cluster fail-over", () => {
  it("delivers every notification exactly once when the SMS queue's primary is killed mid-stream", async () => {
    // Slow enough that the kill lands mid-stream (~10 ms a send, 10 at a time).
    const provider = countingProvider({ delayMs: 10 });
    handle = await startWorkers({
      db: t.db,
      redis: { clusterNodes: cluster.nodes },
      prefix,
      providers: bothChannels(provider),
      settings: { notificationConcurrency: 10, queuedRepairMs: 2000, stalledCheckMs: 2000, notificationBackoffMs: 200 },
      relay: { idleMs: 20, repairEveryMs: 1000 },
      schedules: false,
      log: () => {},
    });
    const ids = await insertOutbox(t.db, TOTAL);

    const victim = await cluster.primaryOf(`${prefix}:{notifications-sms}:wait`);
    await expect.poll(() => provider.total(), { timeout: 30_000 }).toBeGreaterThan(TOTAL / 5);
    const sentBeforeKill = provider.total();
    await cluster.kill(victim);

    await expect.poll(async () => (await statusCounts(t.db)).sent ?? 0, { timeout: 60_000, interval: 200 }).toBe(TOTAL);
    console.log(`[redis cluster fail-over] killed primary ${victim} after ${sentBeforeKill} of ${TOTAL} sends; all ${TOTAL} delivered`);

    // The replica took over the slots: three primaries again, the victim not among them.
    const primaries = await cluster.primaries();
    expect(primaries).toHaveLength(3);
    expect(primaries).not.toContain(victim);
    expect(await cluster.primaryOf(`${prefix}:{notifications-sms}:wait`)).not.toBe(victim);

    expect(sentBeforeKill).toBeLessThan(TOTAL);
    expect(provider.duplicates()).toEqual([]);
    expect(provider.total()).toBe(TOTAL);
    expect(new Set(provider.messages.map((m) => m.id))).toEqual(new Set(ids));
  });
});
