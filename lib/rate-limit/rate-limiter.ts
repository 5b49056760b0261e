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

/**
 * A count over a window whose limit the caller judges, because it is a policy setting that
 * changes at run time (velocity, SMS budgets, verification attempts per client). Single-key,
 * like every rule, so it works the same on a Redis Cluster.
 */
export interface CounterSpec {
  /** The family of counts, e.g. "velocity-ip"; one Redis key prefix per (name, window). */
  name: string;
  key: string;
  windowSeconds: number;
  /**
   * When Redis cannot count: "memory" counts in this process instead, like the rules.
   * "memory-if-down" does so only while the connection is down. A command that failed on a live
   * connection (no reply within the command timeout — usually a busy event loop, the reply
   * waiting unread) is sent once more, and that count is the answer: if the first one counted
   * too, the window holds one point too many, never one too few. If the second fails as well, no
   * count — a fresh per-process count would let this process spend a budget again on a guess.
   */
  fallback: "memory" | "memory-if-down";
}

export interface CountResult {
  /** The count in the current window, this increment included. */
  count: number;
  /** Until the window ends. */
  msBeforeNext: number;
}

export interface ConsumeResult {
  /** Per rule given: 0 when it had a point left, else how long until it does. */
  rules: number[];
  /** Per counter given; null when a "memory-if-down" counter failed twice on a live connection. */
  counters: (CountResult | null)[];
}

export interface RateLimiter {
  /**
   * Consumes one point of each (rule, key); throws AppError("rate_limited") with the longest
   * Retry-After when any is exhausted. All rules are consumed, so a client that keeps hammering
   * stays limited on every dimension.
   */
  consume(checks: [RateLimitRuleName, string][]): Promise<void>;
  /**
   * Consumes rule points and counter increments in the same tick — one Redis round trip (the
   * connection auto-pipelines) — and reports each; throws nothing for an exhausted rule: the
   * caller refunds what it must first (rateLimitedError makes the 429).
   */
  consumeTogether(checks: [RateLimitRuleName, string][], counters: CounterSpec[]): Promise<ConsumeResult>;
  /**
   * Gives one point back to each counter in Redis, without waiting (a refund that fails, or of a
   * count kept in memory while Redis was down, is only lost: counts err on the high side).
   * Refund only counters that were counted: an uncounted one may or may not have been increased.
   */
  refund(counters: CounterSpec[]): void;
  /** Gives one point of a rule back, without waiting. */
  refundRule(rule: RateLimitRuleName, key: string): void;
  /** Current counts (0 for a window not started), e.g. the Policy page's budget use. */
  peek(counters: CounterSpec[]): Promise<number[]>;
  /** Forgets a key's count (e.g. tests). */
  reset(rule: RateLimitRuleName, key: string): Promise<void>;
}

/** The problem for an exhausted limit, with Retry-After in whole seconds. */
export function rateLimitedError(retryAfterMs: number): AppError {
  const retryAfter = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new AppError("rate_limited", `Too many requests; try again in ${retryAfter} s.`, { retryAfter });
}

/** Counters never refuse by themselves: their limits are judged by the caller. */
const COUNTER_CEILING = 2_000_000_000;

/** Keys may be phones or tokens: hash them so Redis never holds the raw value. */
function keyOf(value: string): string {
  return createHash("sha256").update(value).digest("base64url").slice(0, 22);
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const limiterOf = (keyPrefix: string, points: number, duration: number, insured = true) =>
    new RateLimiterRedis({
      storeClient: options.redis,
      keyPrefix,
      points,
      duration,
      rejectIfRedisNotReady: true,
      ...(insured ? { insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration }) } : {}),
    });
  const limiters = new Map<RateLimitRuleName, RateLimiterRedis>();
  for (const [name, rule] of Object.entries(options.rules) as [RateLimitRuleName, { points: number; duration: number }][]) {
    limiters.set(name, limiterOf(rateLimitKeyPrefix(options.namespace, name), rule.points, rule.duration));
  }
  const counterLimiters = new Map<string, { redis: RateLimiterRedis; whileDown: RateLimiterMemory | null }>();
  const counterLimiter = (counter: CounterSpec) => {
    const id = `${counter.name}:${counter.windowSeconds}`;
    let limiter = counterLimiters.get(`${id}:${counter.fallback}`);
    if (!limiter) {
      const keyPrefix = rateLimitKeyPrefix(options.namespace, `c:${id}`);
      const insured = counter.fallback === "memory";
      limiter = {
        redis: limiterOf(keyPrefix, COUNTER_CEILING, counter.windowSeconds, insured),
        whileDown: insured ? null : new RateLimiterMemory({ keyPrefix, points: COUNTER_CEILING, duration: counter.windowSeconds }),
      };
      counterLimiters.set(`${id}:${counter.fallback}`, limiter);
    }
    return limiter;
  };
  const count = (counter: CounterSpec): Promise<CountResult | null> => {
    const { redis, whileDown } = counterLimiter(counter);
    const key = keyOf(counter.key);
    const toResult = (res: RateLimiterRes): CountResult => ({ count: res.consumedPoints, msBeforeNext: res.msBeforeNext });
    // Only a "memory-if-down" counter rejects (the others are insured).
    const whenDown = () => whileDown!.consume(key).then(toResult);
    return redis.consume(key).then(toResult, () =>
      options.redis.status !== "ready" ? whenDown() : redis.consume(key).then(toResult, () => (options.redis.status === "ready" ? null : whenDown())),
    );
  };
  const ignore = () => {};

  async function consumeTogether(checks: [RateLimitRuleName, string][], counters: CounterSpec[]): Promise<ConsumeResult> {
    // Every command is issued before the first await: one pipeline.
    const ruleResults = Promise.allSettled(checks.map(([rule, key]) => limiters.get(rule)!.consume(keyOf(key))));
    const counterResults = Promise.all(counters.map(count));
    const rules = (await ruleResults).map((result) => {
      if (result.status === "fulfilled") return 0;
      if (result.reason instanceof RateLimiterRes) return Math.max(1, result.reason.msBeforeNext);
      // Redis errors are handled by the insurance limiter; anything else is a bug.
      throw result.reason;
    });
    return { rules, counters: await counterResults };
  }

  return {
    async consume(checks) {
      const { rules } = await consumeTogether(checks, []);
      const retryAfterMs = Math.max(0, ...rules);
      if (retryAfterMs > 0) throw rateLimitedError(retryAfterMs);
    },
    consumeTogether,
    refund(counters) {
      for (const counter of counters) counterLimiter(counter).redis.reward(keyOf(counter.key)).catch(ignore);
    },
    refundRule(rule, key) {
      limiters.get(rule)!.reward(keyOf(key)).catch(ignore);
    },
    async peek(counters) {
      const results = await Promise.all(counters.map((counter) => counterLimiter(counter).redis.get(keyOf(counter.key)).catch(() => null)));
      return results.map((res) => res?.consumedPoints ?? 0);
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
