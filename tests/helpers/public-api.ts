// Points the route handlers' process singletons (getDb, getRateLimiter) at a test database and
// a private Redis key prefix, and calls handlers with plain Requests — no server needed.
import { afterAll, beforeAll } from "vitest";
import { closeDb, type Database } from "../../db/client";
import { env } from "../../lib/env.js";
import { closeRateLimiter, rateLimiterConnected } from "../../lib/rate-limit/rate-limiter";
import { createTestDatabase, type TestDatabase } from "./database";
import { deleteKeysWithPrefix, testRedisUrl, uniqueQueuePrefix } from "./redis";

export async function useTestServices(options: {
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  rateLimits?: Record<string, { points: number; duration: number }>;
}): Promise<void> {
  closeRateLimiter();
  // The env object is the parsed process environment; the singletons read it lazily.
  Object.assign(env, { DATABASE_URL: options.databaseUrl, REDIS_URL: options.redisUrl, QUEUE_PREFIX: options.prefix, RATE_LIMITS: options.rateLimits });
  if (!(await rateLimiterConnected(5000))) throw new Error(`the rate limiter could not reach Redis at ${options.redisUrl}`);
}

export async function releaseTestServices(): Promise<void> {
  closeRateLimiter();
  await closeDb();
}

/**
 * The file's own database and Redis key prefix behind the route handlers: set up before its
 * tests, released, emptied and dropped after them. Read `db` inside tests, not at import.
 */
export function usePublicApiTestServices(options: { rateLimits?: Record<string, { points: number; duration: number }> } = {}): { readonly db: Database } {
  const prefix = uniqueQueuePrefix();
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    await useTestServices({ databaseUrl: database.url, redisUrl: testRedisUrl(), prefix, rateLimits: options.rateLimits });
  });
  afterAll(async () => {
    await releaseTestServices();
    await deleteKeysWithPrefix(prefix);
    await database?.drop();
  });
  return {
    get db() {
      if (!database) throw new Error("the test services are not set up yet: read db inside a test or hook");
      return database.db;
    },
  };
}

let ipCounter = 0;
/** A fresh client address, so rate limits of one test do not leak into the next. */
export function freshIp(): string {
  ipCounter += 1;
  return `198.51.${Math.floor(ipCounter / 250) % 250}.${(ipCounter % 250) + 1}`;
}

export function jsonRequest(path: string, options: { method?: string; body?: unknown; ip?: string; token?: string; rawBody?: string } = {}): Request {
  const headers: Record<string, string> = { "x-forwarded-for": options.ip ?? freshIp() };
  if (options.body !== undefined || options.rawBody !== undefined) headers["content-type"] = "application/json";
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  return new Request(`http://localhost${path}`, {
    method: options.method ?? (options.body !== undefined || options.rawBody !== undefined ? "POST" : "GET"),
    headers,
    body: options.rawBody ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined),
  });
}
