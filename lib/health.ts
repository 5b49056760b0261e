// Liveness of the two stores behind the web tier, for `GET /api/health`. The database is
// required (down → 503); Redis only carries queues fed by the outbox, so the console and the
// public API keep working without it (down → still 200, reported as "down").
import { sql } from "drizzle-orm";
import { z } from "zod";
import "zod-openapi";
import type { Database } from "@/db/client";
import { createRedis, redisTargetFromEnv, type RedisTarget } from "@/lib/redis/connection";

export const healthReportSchema = z
  .object({ status: z.enum(["ok", "degraded"]), db: z.enum(["ok", "down"]), redis: z.enum(["ok", "down"]) })
  .meta({ id: "Health" });
export type HealthReport = z.infer<typeof healthReportSchema>;
export type ServiceState = HealthReport["db"];

/** Resolves with the value, or rejects after `ms` (the slow path must not hold a health probe). */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function checkDatabase(db: Database | (() => Database), timeoutMs = 1_000): Promise<ServiceState> {
  try {
    const handle = typeof db === "function" ? db() : db;
    await withTimeout(handle.execute(sql`select 1`), timeoutMs);
    return "ok";
  } catch {
    return "down";
  }
}

/** PING on a short-lived connection (no retries, no offline queue, closed afterwards); a cluster must report cluster_state:ok. */
export async function checkRedis(target: RedisTarget, timeoutMs = 500): Promise<ServiceState> {
  const client = createRedis("probe", { target, probeTimeoutMs: timeoutMs });
  try {
    // A cluster's connect() resolves after its ready check (CLUSTER INFO reports cluster_state:ok).
    const reply = await withTimeout(
      client.connect().then(() => client.ping()),
      timeoutMs,
    );
    return reply === "PONG" ? "ok" : "down";
  } catch {
    return "down";
  } finally {
    client.disconnect();
  }
}

export async function checkHealth(options: {
  db: Database | (() => Database);
  /** Default: the configured Redis (REDIS_CLUSTER_NODES, else REDIS_URL). */
  redis?: RedisTarget;
  dbTimeoutMs?: number;
  redisTimeoutMs?: number;
}): Promise<HealthReport> {
  const [db, redis] = await Promise.all([
    checkDatabase(options.db, options.dbTimeoutMs),
    checkRedis(options.redis ?? redisTargetFromEnv(), options.redisTimeoutMs),
  ]);
  return { status: db === "ok" ? "ok" : "degraded", db, redis };
}
