// Redis connections for BullMQ, per the BullMQ production guide:
// - workers (and anything that must survive a Redis restart) retry commands forever
//   (`maxRetriesPerRequest: null`) and reconnect with a capped backoff;
// - producers fail fast (`enableOfflineQueue: false`, few retries, a command timeout) so a caller
//   never hangs while Redis is down — the outbox keeps the work in PostgreSQL meanwhile.
import Redis, { type RedisOptions } from "ioredis";
import { env } from "@/lib/env.js";

export interface RedisTarget {
  /** Defaults to env REDIS_URL. */
  redisUrl?: string;
  /** Queue key prefix; defaults to env QUEUE_PREFIX (`{gatehouse}`: one Cluster hash slot). */
  prefix?: string;
}

export function resolveRedisUrl(redisUrl?: string): string {
  return redisUrl ?? env.REDIS_URL;
}

export function resolveQueuePrefix(prefix?: string): string {
  return prefix ?? env.QUEUE_PREFIX;
}

/** Reconnect after 50 ms, 100 ms, … capped at 2 s; never give up. */
const reconnectBackoff = (times: number) => Math.min(times * 50, 2000);

/** For BullMQ Workers and QueueEvents: blocking commands must wait through reconnects. */
export function createWorkerConnection(redisUrl?: string, options: RedisOptions = {}): Redis {
  const redis = new Redis(resolveRedisUrl(redisUrl), {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: reconnectBackoff,
    connectionName: "gatehouse-worker",
    ...options,
  });
  // ioredis emits "error" on every failed reconnect; unhandled it would crash the process.
  redis.on("error", () => {});
  return redis;
}

/**
 * For Queues that add jobs or read stats: commands fail at once while disconnected instead of
 * queueing up, and a stuck server cannot hold a caller longer than the command timeout.
 */
export function createProducerConnection(redisUrl?: string, options: RedisOptions = {}): Redis {
  const redis = new Redis(resolveRedisUrl(redisUrl), {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 5000,
    connectTimeout: 3000,
    retryStrategy: reconnectBackoff,
    connectionName: "gatehouse-producer",
    ...options,
  });
  redis.on("error", () => {});
  return redis;
}

/** Resolves once the connection is ready, or rejects after `timeoutMs`. */
export async function waitUntilReady(redis: Redis, timeoutMs = 5000): Promise<void> {
  if (redis.status === "ready") return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis not ready after ${timeoutMs} ms`));
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
