// Redis stopped (our own redis-server on a spare port): registrations are still accepted, rate
// limits keep working from the in-memory insurance limiter (neither failing open nor refusing
// everyone), the verification codes wait in the outbox, and they are queued for sending once
// Redis is back.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { notifications } from "../../db/schema";
import { deliverSms } from "../../jobs/definitions";
import { notificationEnqueuer } from "../../jobs/outbox-enqueue";
import { createProducer } from "../../jobs/producer";
import { relayPendingNotifications } from "../../lib/notifications/relay";
import { rateLimiterConnected } from "../../lib/rate-limit/rate-limiter";
import { startRedisServer } from "../../scripts/lib/services";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { callApi } from "../helpers/api";
import { uniqueQueuePrefix } from "../helpers/redis";
import { freshIp, jsonRequest, releaseTestServices, useTestServices } from "../helpers/public-api";
import { uniqueMobile } from "../helpers/factories";

let t: TestDatabase;
let redis: NonNullable<Awaited<ReturnType<typeof startRedisServer>>>;
const dir = mkdtempSync(path.join(tmpdir(), "gh-redis-down-"));
const prefix = uniqueQueuePrefix();
let port: number;

beforeAll(async () => {
  t = await createTestDatabase();
  const started = await startRedisServer(dir);
  if (!started) throw new Error("redis-server is required for this test");
  redis = started;
  port = Number(new URL(redis.url).port);
  await useTestServices({ databaseUrl: t.url, redisUrl: redis.url, prefix, rateLimits: { registerPerIp: { points: 3, duration: 60 } } });
});
afterAll(async () => {
  await releaseTestServices();
  await redis?.stop();
  await t.drop();
});

const post = (body: unknown, ip: string) => callApi(jsonRequest("/api/v1/registrations", { body, ip }));

describe("with Redis down", () => {
  it("keeps accepting registrations, keeps limiting, and sends the codes once Redis is back", async () => {
    // Warm up with Redis running.
    expect((await post({ phone: uniqueMobile(), platform: "android" }, freshIp())).status).toBe(202);

    await redis.stop();
    const started = Date.now();
    const accepted: string[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await post({ phone: uniqueMobile(), platform: "android" }, freshIp());
      expect(response.status).toBe(202);
      accepted.push((await response.json()).registrationId);
    }
    // No request waited on the dead Redis.
    expect(Date.now() - started).toBeLessThan(5_000);

    // Limits still hold (per process, from memory): the 4th from one address is refused.
    const ip = freshIp();
    for (let i = 0; i < 3; i++) expect((await post({ phone: uniqueMobile(), platform: "ios" }, ip)).status).toBe(202);
    expect((await post({ phone: uniqueMobile(), platform: "ios" }, ip)).status).toBe(429);

    // The codes wait in the outbox: a relay pass cannot enqueue them while Redis is away.
    const producer = createProducer({ redis: { url: redis.url }, prefix });
    try {
      const enqueue = notificationEnqueuer(producer);
      const firstPass = relayPendingNotifications(t.db, { enqueue }).catch(() => 0);
      await new Promise((r) => setTimeout(r, 500));
      for (const id of accepted) {
        const [row] = await t.db.select().from(notifications).where(eq(notifications.registrationId, id));
        expect(row).toMatchObject({ kind: "verification_code", status: "pending" });
      }

      // Redis comes back on the same port: the relay drains the outbox into the SMS queue.
      const restarted = await startRedisServer(dir, port);
      if (!restarted) throw new Error("redis-server did not restart");
      redis = restarted;
      let relayed = await firstPass;
      // Relay passes until every accepted code has left the outbox (a pass may still find Redis reconnecting).
      await vi.waitFor(
        async () => {
          if (relayed < accepted.length) relayed += await relayPendingNotifications(t.db, { enqueue }).catch(() => 0);
          expect(relayed).toBeGreaterThanOrEqual(accepted.length);
        },
        { timeout: 10_000, interval: 200 },
      );
      // The rate limiter reconnects by itself and counts in Redis again.
      expect(await rateLimiterConnected(5000)).toBe(true);
      expect(relayed).toBeGreaterThanOrEqual(accepted.length);
      for (const id of accepted) {
        const [row] = await t.db.select().from(notifications).where(eq(notifications.registrationId, id));
        expect(row!.status).toBe("queued");
        expect(await producer.queue(deliverSms).getJob(row!.id)).toBeDefined();
      }
    } finally {
      await producer.closeAll();
    }
  });
});
