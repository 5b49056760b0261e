// SMS budgets when Redis is up but answers later than the command timeout (our own redis-server
// on a spare port, paused): a budget nobody could confirm sends nothing — the registration is
// still answered as usual and recorded (sms_budget_unavailable), and staff can release it —
// while the rate limits and velocity keep counting in memory as they do when Redis is down.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { policyDecisions } from "../../db/schema";
import { createRedis, waitUntilReady } from "../../lib/redis/connection";
import { startRedisServer } from "../../scripts/lib/services";
import { callApi } from "../helpers/api";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { freshIp, jsonRequest, releaseTestServices, useTestServices } from "../helpers/public-api";
import { uniqueQueuePrefix } from "../helpers/redis";
import { codesSent } from "../helpers/registrations";
import { uniqueMobile } from "../helpers/factories";

let t: TestDatabase;
let redis: NonNullable<Awaited<ReturnType<typeof startRedisServer>>>;
const dir = mkdtempSync(path.join(tmpdir(), "gh-redis-slow-"));

beforeAll(async () => {
  t = await createTestDatabase();
  const started = await startRedisServer(dir);
  if (!started) throw new Error("redis-server is required for this test");
  redis = started;
  await useTestServices({ databaseUrl: t.url, redisUrl: redis.url, prefix: uniqueQueuePrefix() });
});
afterAll(async () => {
  await releaseTestServices();
  await redis?.stop();
  await t.drop();
});

const register = (phone: string) => callApi(jsonRequest("/api/v1/registrations", { body: { phone, platform: "android" }, ip: freshIp() }));

describe("with Redis slower than the command timeout", () => {
  it("sends no code on an unconfirmed budget, answers as usual, and records why", async () => {
    const warm = await register(uniqueMobile());
    expect(warm.status).toBe(202);
    expect(await codesSent(t.db, (await warm.json()).registrationId)).toBe(1);

    const admin = createRedis("producer", { target: { url: redis.url }, name: "test-admin" });
    try {
      await waitUntilReady(admin);
      // Every client's commands wait 1.5 s: the connection stays up, replies come too late.
      await admin.call("client", "pause", "1500", "all");
      const response = await register(uniqueMobile());
      expect(response.status).toBe(202);
      const { registrationId } = await response.json();
      expect(await codesSent(t.db, registrationId)).toBe(0);
      const [decision] = await t.db
        .select()
        .from(policyDecisions)
        .where(and(eq(policyDecisions.registrationId, registrationId), eq(policyDecisions.kind, "sms_budget")));
      expect(decision).toMatchObject({ reasons: ["sms_budget_unavailable"] });
    } finally {
      await admin.call("client", "unpause").catch(() => {});
      admin.disconnect();
    }
    // Redis answering again: codes flow.
    const after = await register(uniqueMobile());
    expect(await codesSent(t.db, (await after.json()).registrationId)).toBe(1);
  });
});
