// Redis stops in the middle of a stream of registrations (our own redis-server on a spare
// port). Registrations keep being accepted without waiting on Redis; when Redis comes back —
// empty, as after a restart without persistence — every notification is sent, once.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorkers } from "../../jobs/worker";
import { registerPhone } from "../../lib/registrations/register";
import { startRedisServer } from "../../scripts/lib/services";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { uniqueQueuePrefix } from "../helpers/redis";
import { bothChannels, countingProvider, gate, insertOutbox, memoryLogger, statusCounts } from "../helpers/notifications";

let database: TestDatabase;
const dir = mkdtempSync(path.join(tmpdir(), "gh-redis-down-"));

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

let sequence = 0;
/** Distinct valid French mobiles (+33 61…). */
const nextMobile = () => `+3361${String(Date.now() % 1000).padStart(3, "0")}${String(++sequence).padStart(4, "0")}`;

async function register(): Promise<number> {
  const started = performance.now();
  await registerPhone(database.db, { phone: nextMobile(), platform: "android" }, { ip: null });
  return performance.now() - started;
}

describe("Redis stopped mid-stream", () => {
  it("keeps accepting registrations and sends every notification once when Redis returns", async () => {
    const first = await startRedisServer(dir);
    if (!first) throw new Error("redis-server is required for this test");
    const port = Number(new URL(first.url).port);
    const sends = gate();
    const provider = countingProvider({ gate: sends.wait });
    const log = memoryLogger();
    const handle = await startWorkers({
      db: database.db,
      redis: { url: first.url },
      prefix: uniqueQueuePrefix(),
      providers: bothChannels(provider),
      settings: { queuedRepairMs: 500 },
      relay: { idleMs: 20, maxBackoffMs: 300, repairEveryMs: 500 },
      schedules: false,
      log,
    });
    let second: Awaited<ReturnType<typeof startRedisServer>> = null;
    try {
      // Before: a stream of registrations, all delivered.
      for (let i = 0; i < 30; i++) await register();
      await expect.poll(async () => (await statusCounts(database.db)).sent, { timeout: 30_000 }).toBe(30);
      // Stop while part of the stream is in Redis only (queued, not yet sent): those jobs are lost.
      sends.close();
      await insertOutbox(database.db, 300);
      await expect.poll(async () => (await statusCounts(database.db)).pending ?? 0, { timeout: 30_000, message: "all relayed" }).toBe(0);
      await first.stop();
      sends.open();

      // During: registrations are accepted at their normal speed; their messages wait.
      const latencies: number[] = [];
      for (let i = 0; i < 60; i++) latencies.push(await register());
      await insertOutbox(database.db, 200);
      expect(Math.max(...latencies)).toBeLessThan(1000);
      await new Promise((r) => setTimeout(r, 500));
      const during = await statusCounts(database.db);
      expect(during.pending ?? 0).toBeGreaterThanOrEqual(260);
      expect(log.events.some((e) => e.event === "relay.failed")).toBe(true);

      // After: the same port, an empty Redis.
      second = await startRedisServer(dir, port);
      const total = 30 + 300 + 60 + 200;
      await expect.poll(async () => (await statusCounts(database.db)).sent, { timeout: 60_000, message: "all sent after Redis returned" }).toBe(total);
      expect(await statusCounts(database.db)).toEqual({ sent: total });
      expect(provider.total()).toBe(total);
      expect(provider.duplicates()).toEqual([]);
      expect(log.events.some((e) => e.event === "relay.recovered")).toBe(true);
      // The jobs Redis lost were found and enqueued again. The relay logs that once its whole
      // repair pass is done, which can be after the requeued jobs were sent: wait for the line.
      await expect
        .poll(() => log.events.find((e) => e.event === "relay.requeued")?.fields.count ?? 0, { timeout: 10_000, message: "relay.requeued logged" })
        .toBeGreaterThan(0);
    } finally {
      await handle.close();
      await second?.stop();
      await first.stop();
    }
  });
});
