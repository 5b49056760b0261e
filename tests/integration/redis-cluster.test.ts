// Gatehouse on a real three-node Redis Cluster (REDIS_CLUSTER_NODES; REDIS_URL points at nothing,
// so any use that bypassed the cluster client would fail): register → verify → an admit_next
// batch → its notifications → redeem, the rate limits, the Notifications & queues page data and
// the health probe — then where the keys landed: each queue in one slot, the queues and the
// rate-limit counters spread over the nodes.
import type { Cluster } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeProducer } from "../../jobs/producer";
import { getConsoleQueueStats } from "../../jobs/queue-stats";
import { startWorkers, type WorkersHandle } from "../../jobs/start-workers";
import { env } from "../../lib/env.js";
import { checkHealth } from "../../lib/health";
import { normalizePhone } from "../../lib/phone/normalize-phone";
import { getRateLimiter, rateLimitRedis } from "../../lib/rate-limit/rate-limiter";
import { countRegistrationAttempt } from "../../lib/registrations/count-registration-attempt";
import { activatePhase } from "../../lib/phases/activate-phase";
import { createPhase } from "../../lib/phases/create-phase";
import { createApiToken } from "../../lib/staff/create-api-token";
import { createStaffUser } from "../../lib/staff/create-staff-user";
import { callApi } from "../helpers/api";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertStaff, uniqueMobile } from "../helpers/factories";
import { bothChannels, countingProvider, type CountingProvider } from "../helpers/notifications";
import { freshIp, jsonRequest, releaseTestServices, useTestServices } from "../helpers/public-api";
import { startRedisCluster, type RedisClusterUnderTest } from "../helpers/redis-cluster";
import { uniqueQueuePrefix } from "../helpers/redis";

const PEOPLE = 24;
const ADMIT = 16;

let cluster: RedisClusterUnderTest;
let t: TestDatabase;
let handle: WorkersHandle;
let provider: CountingProvider;
let token: string;
const prefix = uniqueQueuePrefix();
const savedEnv = { REDIS_CLUSTER_NODES: env.REDIS_CLUSTER_NODES, REDIS_URL: env.REDIS_URL, QUEUE_PREFIX: env.QUEUE_PREFIX };

/** The message the provider was handed for a phone, once the worker has sent it. */
async function messageTo(phone: string, kind: string) {
  await expect.poll(() => provider.messages.some((m) => m.to === phone && m.kind === kind), { timeout: 30_000 }).toBe(true);
  return provider.messages.find((m) => m.to === phone && m.kind === kind)!;
}

beforeAll(async () => {
  [cluster, t] = await Promise.all([startRedisCluster({ primaries: 3 }), createTestDatabase()]);
  // Everything Redis goes to the cluster; REDIS_URL names a port where nothing listens.
  Object.assign(env, { REDIS_CLUSTER_NODES: cluster.nodes });
  await useTestServices({ databaseUrl: t.url, redisUrl: "redis://127.0.0.1:1", prefix, rateLimits: { registerPerIp: { points: 3, duration: 60 } } });
  await closeProducer();
  await createStaffUser(t.db, null, { email: "growth@cluster.test", role: "growth" });
  token = (await createApiToken(t.db, null, { email: "growth@cluster.test" })).token;
  const product = await insertStaff(t.db, "product");
  await activatePhase(t.db, product, (await createPhase(t.db, product, { slug: "cluster-wave", name: "Cluster wave", kind: "closed" })).id);
  provider = countingProvider();
  handle = await startWorkers({ db: t.db, prefix, providers: bothChannels(provider), relay: { idleMs: 20 }, schedules: false, log: () => {} });
}, 120_000);

afterAll(async () => {
  await handle?.close();
  await closeProducer();
  await releaseTestServices();
  Object.assign(env, savedEnv);
  await cluster?.stop();
  await t?.drop();
});

describe("on a three-node Redis Cluster", () => {
  it("registers, verifies, admits a batch, delivers its notifications and redeems", async () => {
    const phones = Array.from({ length: PEOPLE }, () => uniqueMobile());
    const ids = new Map<string, string>();
    for (const phone of phones) {
      const registered = await callApi(jsonRequest("/api/v1/registrations", { body: { phone, platform: "android" } }));
      expect(registered.status).toBe(202);
      ids.set(phone, (await registered.json()).registrationId);
    }
    // The codes travel outbox → relay → the SMS queue on the cluster → worker → provider.
    for (const phone of phones) {
      const { code } = await messageTo(phone, "verification_code");
      const verified = await callApi(jsonRequest(`/api/v1/registrations/${ids.get(phone)}/verify`, { body: { code } }));
      expect(verified.status).toBe(200);
      expect((await verified.json()).status).toBe("waiting");
    }

    const request = jsonRequest("/api/admin/v1/batches", { body: { kind: "admit_next", size: ADMIT }, token });
    request.headers.set("idempotency-key", "cluster-batch-1");
    const created = await callApi(request);
    expect(created.status).toBe(201);
    const { batch } = await created.json();
    await expect
      .poll(async () => (await t.sql<{ status: string; notified: number }[]>`select status, notified from batches where id = ${batch.id}`)[0], { timeout: 30_000 })
      .toEqual({ status: "completed", notified: ADMIT });

    // The first ADMIT in the queue (all priority 0: registration order) get invitations by SMS.
    const admitted = phones.slice(0, ADMIT);
    for (const phone of admitted) {
      const invitation = await messageTo(phone, "invitation");
      const redeemed = await callApi(jsonRequest("/api/v1/invitations/redeem", { body: { code: invitation.code, phone } }));
      expect(redeemed.status).toBe(200);
      expect((await redeemed.json()).memberToken).toMatch(/^ghm_/);
    }
    expect(provider.messages.filter((m) => m.kind === "invitation")).toHaveLength(ADMIT);
    expect(provider.duplicates()).toEqual([]);
  });

  it("enforces the rate limits with counters on the cluster", async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await callApi(jsonRequest("/api/v1/registrations", { body: { phone: uniqueMobile(), platform: "ios" }, ip }))).status);
    }
    expect(statuses).toEqual([202, 202, 202, 429]);
    // Counted in Redis, not by the in-memory insurance limiter: the counter is on one of the nodes.
    const counters = await keysByNode(`${prefix}:rl:registerPerIp:*`);
    expect([...counters.values()].flat().length).toBeGreaterThan(0);
    // The registrations' velocity and SMS budget counters (every code above was counted against
    // the budgets: no code goes out on a count Redis did not confirm) live on the cluster too.
    for (const family of ["velocity-ip", "velocity-prefix", "sms-country", "sms-prefix", "sms-global"]) {
      const keys = [...(await keysByNode(`${prefix}:rl:c:${family}:*`)).values()].flat();
      expect({ family, counted: keys.length > 0 }).toEqual({ family, counted: true });
    }
  });

  it("sends a registration's rate limits, velocity and SMS budgets in one write per node", async () => {
    const redis = rateLimitRedis() as Cluster;
    const attempt = (i: number) => {
      const phone = uniqueMobile();
      return countRegistrationAttempt(t.db, getRateLimiter(), { clientAddress: `192.0.2.${i}`, ip: `192.0.2.${i}`, phone: normalizePhone(phone), rawPhone: phone });
    };
    await attempt(1); // the policy snapshot is cached and the scripts are loaded on every node
    // Count the writes on each primary's socket (ioredis internals: the connection's stream).
    const writes = new Map<number, number>();
    const restore = redis.nodes("master").map((node) => {
      const stream = (node as unknown as { stream: { write: (...args: unknown[]) => boolean } }).stream;
      const write = stream.write;
      stream.write = (...args: unknown[]) => {
        writes.set(node.options.port!, (writes.get(node.options.port!) ?? 0) + 1);
        return write.apply(stream, args);
      };
      return () => (stream.write = write);
    });
    try {
      // One registration: 2 rate limits + 2 velocity counters + 3 budgets, 7 keys over the nodes.
      expect((await attempt(2))?.budgets).toMatchObject({ global: expect.any(Number) });
      expect(Math.max(...writes.values())).toBe(1);
      expect(writes.size).toBeGreaterThan(1);
      // Fifty at once: still one write per node (auto-pipelined per node, per tick).
      writes.clear();
      await Promise.all(Array.from({ length: 50 }, (_, i) => attempt(10 + i)));
      expect([...writes.values()]).toEqual(Array.from({ length: writes.size }, () => 1));
    } finally {
      restore.forEach((undo) => undo());
    }
  });

  it("answers the Notifications & queues page and the health probe from the cluster", async () => {
    // The workers add their per-minute counts to Redis once a second.
    const smsOf = async () => (await getConsoleQueueStats({ minutes: 5 })).queues.find((q) => q.name === "notifications-sms")!;
    await expect.poll(async () => (await smsOf()).completedPerMinute.reduce((a, b) => a + b, 0), { timeout: 5_000 }).toBeGreaterThanOrEqual(PEOPLE + ADMIT);
    const stats = await getConsoleQueueStats({ minutes: 5 });
    expect(stats.redis).toBe("up");
    const sms = stats.queues.find((q) => q.name === "notifications-sms")!;
    expect(sms.counts.completed).toBeGreaterThanOrEqual(PEOPLE + ADMIT);
    expect(stats.queues.find((q) => q.name === "batch-run")!.counts.completed).toBe(1);
    expect(stats.workers).toEqual([expect.objectContaining({ workerId: handle.id, alive: true })]);
    expect(await checkHealth({ db: t.db })).toEqual({ status: "ok", db: "ok", redis: "ok" });
  });

  it("keeps each queue in one slot and spreads the keys over the nodes", async () => {
    const byNode = await keysByNode(`${prefix}:*`);
    expect([...byNode.values()].filter((keys) => keys.length > 0).length).toBeGreaterThan(1);

    const nodeOf = new Map<string, Set<number>>();
    for (const [port, keys] of byNode) {
      for (const key of keys) {
        const group = /^[^:]+:\{([^}]+)\}:/.exec(key)?.[1] ?? (key.includes(":rl:") ? "rate-limits" : key.slice(prefix.length + 1));
        if (!nodeOf.has(group)) nodeOf.set(group, new Set());
        nodeOf.get(group)!.add(port);
      }
    }
    const queues = [...nodeOf].filter(([group]) => group !== "rate-limits" && group !== "worker-heartbeats");
    const summary = [...byNode].map(([port, keys]) => ({
      node: port,
      keys: keys.length,
      rateLimitCounters: keys.filter((k) => k.includes(":rl:")).length,
      queues: queues.filter(([, ports]) => ports.has(port)).map(([group]) => group),
    }));
    console.log(`[redis cluster] keys of this run per node:\n${summary.map((n) => `  ${JSON.stringify(n)}`).join("\n")}`);
    // Every key of a queue on one node (one slot: BullMQ's scripts need it) …
    expect(queues.map(([group]) => group)).toEqual(expect.arrayContaining(["notifications-sms", "batch-run"]));
    for (const [group, ports] of queues) expect({ group, nodes: ports.size }).toEqual({ group, nodes: 1 });
    // … while the queues, and the untagged rate-limit counters, spread over several.
    expect(new Set(queues.map(([, ports]) => [...ports][0])).size).toBeGreaterThan(1);
    expect(nodeOf.get("rate-limits")!.size).toBeGreaterThan(1);
  });
});

/** Keys matching `pattern` on each primary (SCAN runs per node on a cluster). */
async function keysByNode(pattern: string): Promise<Map<number, string[]>> {
  const byNode = new Map<number, string[]>();
  for (const port of await cluster.primaries()) {
    const listed = await cluster.cli(port, "--scan", "--pattern", pattern);
    byNode.set(port, listed ? listed.split("\n") : []);
  }
  return byNode;
}
