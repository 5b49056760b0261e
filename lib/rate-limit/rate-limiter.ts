// Rate limits shared by every web process through Redis, with an in-memory insurance limiter:
// when Redis is down or slow, each process keeps counting on its own (limits stay enforced,
// per process) instead of failing open or refusing everyone. A request never waits on a dead
// Redis: commands are not queued while disconnected and time out quickly.
import { createHash } from "node:crypto";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "@/lib/errors";
import { env } from "@/lib/env.js";
import { createRedis, type RedisClient } from "@/lib/redis/connection";
import { keyNamespace, rateLimitKeyPrefix } from "@/lib/redis/keys";
import { type RateLimitRuleName, type RateLimitRules, resolveRateLimitRules } from "./rules";

export interface RateLimiterOptions {
  redis: RedisClient;
  /** The key namespace (QUEUE_PREFIX); counters are `<namespace>:rl:<rule>:<key hash>`, one key each, untagged. */
  namespace: string;
  rules: RateLimitRules;
}

export interface RateLimiter {
  /**
   * Consumes one point of each (rule, key); throws AppError("rate_limited") with the longest
   * Retry-After when any is exhausted. All rules are consumed, so a client that keeps hammering
   * stays limited on every dimension.
   */
  consume(checks: [RateLimitRuleName, string][]): Promise<void>;
  /** Forgets a key's count (e.g. tests). */
  reset(rule: RateLimitRuleName, key: string): Promise<void>;
}

/** Keys may be phones or tokens: hash them so Redis never holds the raw value. */
function keyOf(value: string): string {
  return createHash("sha256").update(value).digest("base64url").slice(0, 22);
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const limiters = new Map<RateLimitRuleName, RateLimiterRedis>();
  for (const [name, rule] of Object.entries(options.rules) as [RateLimitRuleName, { points: number; duration: number }][]) {
    limiters.set(
      name,
      new RateLimiterRedis({
        storeClient: options.redis,
        keyPrefix: rateLimitKeyPrefix(options.namespace, name),
        points: rule.points,
        duration: rule.duration,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix: rateLimitKeyPrefix(options.namespace, name), points: rule.points, duration: rule.duration }),
      }),
    );
  }
  return {
    async consume(checks) {
      const results = await Promise.allSettled(checks.map(([rule, key]) => limiters.get(rule)!.consume(keyOf(key))));
      let retryAfterMs = 0;
      for (const result of results) {
        if (result.status === "fulfilled") continue;
        if (result.reason instanceof RateLimiterRes) retryAfterMs = Math.max(retryAfterMs, result.reason.msBeforeNext);
        // Redis errors are handled by the insurance limiter; anything else is a bug.
        else throw result.reason;
      }
      if (retryAfterMs > 0) {
        const retryAfter = Math.max(1, Math.ceil(retryAfterMs / 1000));
        throw new AppError("rate_limited", `Too many requests; try again in ${retryAfter} s.`, { retryAfter });
      }
    },
    async reset(rule, key) {
      await limiters.get(rule)!.delete(keyOf(key));
    },
  };
}

const cache = globalThis as unknown as { gatehouseRateLimiter?: RateLimiter; gatehouseRateLimitRedis?: RedisClient };

/**
 * The process-wide connection of the rate limits, to REDIS_CLUSTER_NODES or REDIS_URL (the
 * rate-limit role of lib/redis/connection: never queues commands while down, gives up on a slow
 * server fast, auto-pipelines — on a cluster, one write per node for all the counters that
 * concurrent requests send in one tick). Other counters on the request path (e.g. SMS budgets)
 * use this same connection, so they leave in the same writes; keep each of them single-key.
 */
export function rateLimitRedis(): RedisClient {
  return (cache.gatehouseRateLimitRedis ??= createRedis("rate-limit"));
}

/** The process-wide limiter of the web tier, from the configured Redis, QUEUE_PREFIX and RATE_LIMITS. */
export function getRateLimiter(): RateLimiter {
  cache.gatehouseRateLimiter ??= createRateLimiter({
    redis: rateLimitRedis(),
    namespace: keyNamespace(),
    rules: resolveRateLimitRules(env.RATE_LIMITS),
  });
  return cache.gatehouseRateLimiter;
}

/**
 * Resolves once the shared limiter's Redis connection is ready (false after `timeoutMs`). Until
 * then the in-memory insurance limiter counts, and its counts are not carried over to Redis:
 * call this at start-up (and in tests) so limits do not restart from zero a moment later.
 */
export async function rateLimiterConnected(timeoutMs = 2000): Promise<boolean> {
  getRateLimiter();
  const redis = cache.gatehouseRateLimitRedis!;
  const deadline = Date.now() + timeoutMs;
  while (redis.status !== "ready") {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

/** For tests and graceful shutdown. */
export function closeRateLimiter(): void {
  cache.gatehouseRateLimitRedis?.disconnect();
  cache.gatehouseRateLimitRedis = undefined;
  cache.gatehouseRateLimiter = undefined;
}
