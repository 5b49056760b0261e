// The one way Gatehouse opens a Redis connection. Every use — BullMQ workers and producers, the
// outbox relay, rate limits, heartbeats, queue statistics, the health probe, scripts and test
// helpers — asks this module, by role, and gets an ioredis `Cluster` when REDIS_CLUSTER_NODES is
// set (REDIS_URL is then ignored) or a single-server client otherwise.
//
// Roles, after the BullMQ production guide:
// - worker: BullMQ Workers, and anything that must ride through a Redis restart: commands wait
//   through reconnects (`maxRetriesPerRequest: null`), reconnecting with a capped backoff;
// - producer: adding jobs and reading statistics: fails fast (no offline queue, one retry, a
//   command timeout), so a caller never hangs on a dead Redis — the outbox keeps the work meanwhile;
// - rate-limit: the public API's counters: fails within ~200 ms (the in-memory insurance limiter
//   takes over) and auto-pipelines, so the counters of concurrent requests leave in one write per
//   tick — on a cluster, one write per node;
// - probe: one health check: connects on demand, never retries, closed by the caller.
import Redis, { Cluster, type ClusterOptions, type RedisOptions } from "ioredis";
import { env } from "@/lib/env.js";
import { StoreUnavailableError } from "@/lib/errors";

export type RedisClient = Redis | Cluster;

/** Where Redis is: one server, or the seed nodes of a Redis Cluster. */
export type RedisTarget = { url: string } | { clusterNodes: readonly { host: string; port: number }[] };

export type RedisRole = "worker" | "producer" | "rate-limit" | "probe";

/** The configured Redis: REDIS_CLUSTER_NODES when set, else REDIS_URL (read at call time, so tests can repoint it). */
export function redisTargetFromEnv(): RedisTarget {
  const nodes = env.REDIS_CLUSTER_NODES;
  return nodes && nodes.length > 0 ? { clusterNodes: nodes } : { url: env.REDIS_URL };
}

export function isClusterTarget(target: RedisTarget): target is { clusterNodes: readonly { host: string; port: number }[] } {
  return "clusterNodes" in target;
}

/** For log lines: the cluster's seed nodes, or the URL without its credentials. */
export function describeRedisTarget(target: RedisTarget): string {
  if (isClusterTarget(target)) return `cluster ${target.clusterNodes.map((n) => `${n.host}:${n.port}`).join(",")}`;
  const url = new URL(target.url);
  url.username = "";
  url.password = "";
  return url.toString();
}

/** Reconnect after 50 ms, 100 ms, … capped at 2 s; never give up. */
const reconnectBackoff = (times: number) => Math.min(times * 50, 2000);

interface RoleProfile {
  /** Options of every server connection (the single client, or each node of a cluster). */
  server: RedisOptions;
  /** Whether commands wait in an offline queue while disconnected. */
  offlineQueue: boolean;
  /** Reconnect delays; null: never reconnect. */
  reconnect: ((times: number) => number) | null;
  /** Cluster only: fail over/retry within ioredis (ms between tries), 0 = report the error at once. */
  clusterRetryDelayMs?: number;
  autoPipelining?: boolean;
}

function profileOf(role: RedisRole, probeTimeoutMs: number): RoleProfile {
  switch (role) {
    case "worker":
      return { server: { maxRetriesPerRequest: null, enableReadyCheck: true }, offlineQueue: true, reconnect: reconnectBackoff };
    case "producer":
      return {
        server: { maxRetriesPerRequest: 1, commandTimeout: 5000, connectTimeout: 3000 },
        offlineQueue: false,
        reconnect: reconnectBackoff,
      };
    case "rate-limit":
      return {
        server: { maxRetriesPerRequest: 0, commandTimeout: 200, connectTimeout: 1000 },
        offlineQueue: false,
        reconnect: (times) => Math.min(times * 100, 2000),
        // A counter that cannot be reached now is counted in memory: never wait out a fail-over.
        clusterRetryDelayMs: 0,
        autoPipelining: true,
      };
    case "probe":
      return {
        server: { lazyConnect: true, connectTimeout: probeTimeoutMs, maxRetriesPerRequest: 0 },
        offlineQueue: false,
        reconnect: null,
        clusterRetryDelayMs: 0,
      };
  }
}

export interface CreateRedisOptions {
  /** Default: redisTargetFromEnv(). */
  target?: RedisTarget;
  /** CLIENT SETNAME suffix, e.g. "worker" → gatehouse-worker. Default: the role. */
  name?: string;
  /** Connect timeout of the probe role (default 500 ms). */
  probeTimeoutMs?: number;
}

export function createRedis(role: RedisRole, options: CreateRedisOptions = {}): RedisClient {
  const target = options.target ?? redisTargetFromEnv();
  const profile = profileOf(role, options.probeTimeoutMs ?? 500);
  const connectionName = `gatehouse-${options.name ?? role}`;
  let client: RedisClient;
  if (isClusterTarget(target)) {
    const clusterOptions: ClusterOptions = {
      redisOptions: { ...profile.server, connectionName, lazyConnect: undefined },
      enableOfflineQueue: profile.offlineQueue,
      enableReadyCheck: true,
      clusterRetryStrategy: profile.reconnect,
      enableAutoPipelining: profile.autoPipelining ?? false,
      lazyConnect: profile.server.lazyConnect ?? false,
      ...(role === "probe" ? { slotsRefreshTimeout: options.probeTimeoutMs ?? 500 } : {}),
      ...(profile.clusterRetryDelayMs === 0 ? { retryDelayOnFailover: 0, retryDelayOnClusterDown: 0, retryDelayOnTryAgain: 0 } : {}),
    };
    client = new Cluster(
      target.clusterNodes.map((node) => ({ host: node.host, port: node.port })),
      clusterOptions,
    );
  } else {
    client = new Redis(target.url, {
      ...profile.server,
      enableOfflineQueue: profile.offlineQueue,
      retryStrategy: profile.reconnect ?? (() => null),
      enableAutoPipelining: profile.autoPipelining ?? false,
      connectionName,
    });
  }
  // ioredis emits "error" on every failed (re)connect; unhandled it would crash the process. Each
  // user reports the outage its own way (failed commands, the insurance limiter, a "down" probe).
  client.on("error", () => {});
  return client;
}

/** Resolves once the connection is ready, or rejects after `timeoutMs`. */
export async function waitUntilReady(redis: RedisClient, timeoutMs = 5000): Promise<void> {
  if (redis.status === "ready") return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new StoreUnavailableError("redis", `Redis not ready after ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off("ready", onReady);
    };
    redis.on("ready", onReady);
  });
}
