import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notifications } from "../../db/schema";
import { startWorkers } from "../../jobs/worker";
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

describe("per-channel rate limits", () => {
  it("holds SMS to its rate while e-mail, limited separately, is not held back by it", async () => {
    const provider = countingProvider();
    const handle = await startWorkers({
      db: database.db,
      redis: { url: testRedisUrl() },
      prefix,
      providers: bothChannels(provider),
      settings: { smsRatePerSecond: 4, emailRatePerSecond: 100 },
      relay: { idleMs: 20 },
      schedules: false,
      log: memoryLogger(),
    });
    try {
      const started = Date.now();
      await insertOutbox(database.db, 12, { channel: "sms" });
      await insertOutbox(database.db, 12, { channel: "email" });
      await expect
        .poll(async () => (await database.db.execute<{ n: number }>(sql`select count(*)::int as n from ${notifications} where channel = 'email' and status = 'sent'`))[0]?.n, {
          timeout: 30_000,
        })
        .toBe(12);
      const emailDone = Date.now() - started;
      await expect.poll(async () => (await statusCounts(database.db)).sent, { timeout: 20_000 }).toBe(24);
      const smsDone = Date.now() - started;
      // 12 SMS at 4 per second need at least two full windows after the first.
      expect(smsDone).toBeGreaterThanOrEqual(2000);
      expect(emailDone).toBeLessThan(smsDone);
      expect(provider.duplicates()).toEqual([]);
    } finally {
      await handle.close();
    }
  });
});
