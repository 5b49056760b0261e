// "The database (or a Redis the operation needs) is unavailable" → 503 problem+json with
// Retry-After, never 500 (SPEC §5). The classifier (lib/errors unavailableStoreOf) is fed the
// real errors of real failures — a closed port, a terminated backend, an ended pool, a producer
// with no Redis — and the shared mapping is checked through the route registry, consoleRoute,
// server actions and /api/health against a database that is not there.
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { connectDatabase } from "../../db/client";
import { JobProducer } from "../../jobs/producer";
import { runBatch } from "../../jobs/definitions/admissions";
import { StoreUnavailableError, unavailableStoreOf } from "../../lib/errors";
import { createRedis } from "../../lib/redis/connection";
import { freePort } from "../../scripts/lib/services";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { testRedisUrl } from "../helpers/redis";

let testDb: TestDatabase;
let closedPort: number;

beforeAll(async () => {
  [testDb, closedPort] = await Promise.all([createTestDatabase(), freePort()]);
});
afterAll(async () => {
  await testDb.drop();
  vi.unstubAllEnvs();
});

async function caught(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error("expected the work to fail");
}

describe("unavailableStoreOf on real failures", () => {
  it("a database on a closed port (ECONNREFUSED), through Drizzle's wrapping", async () => {
    const dead = connectDatabase(`postgres://nobody@127.0.0.1:${closedPort}/nothing`, { max: 1 });
    try {
      const error = await caught(() => dead.db.execute(sql`select 1`));
      expect(unavailableStoreOf(error)).toBe("database");
    } finally {
      await dead.close();
    }
  });

  it("a backend terminated mid-query (pg_terminate_backend, as a fail-over does) and an ended pool", async () => {
    const victim = connectDatabase(testDb.url, { max: 1 });
    const [backend] = await victim.sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
    const pid = backend!.pid;
    const sleeping = caught(() => victim.db.execute(sql`select pg_sleep(10)`));
    await vi.waitFor(async () => {
      const [row] = await testDb.sql`select count(*)::int as n from pg_stat_activity where pid = ${pid} and query like '%pg_sleep%'`;
      expect(row!.n).toBe(1);
    });
    await testDb.sql`select pg_terminate_backend(${pid})`;
    const error = (await sleeping) as { cause?: { code?: string } };
    expect(["57P01", "CONNECTION_CLOSED"]).toContain(error.cause?.code);
    expect(unavailableStoreOf(error)).toBe("database");

    await victim.close();
    const ended = await caught(() => victim.db.execute(sql`select 1`));
    expect(unavailableStoreOf(ended)).toBe("database");
  });

  it("the job producer with Redis down", async () => {
    const connection = createRedis("producer", { target: { url: `redis://127.0.0.1:${closedPort}` } });
    const producer = new JobProducer(connection, `gh-unavailable-${randomUUID().slice(0, 8)}`);
    try {
      const error = await caught(() => producer.enqueue(runBatch, { batchId: randomUUID() }));
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(unavailableStoreOf(error)).toBe("redis");
    } finally {
      await producer.close();
      connection.disconnect();
    }
  });

  it("leaves real bugs alone: a syntax error, a constraint violation, a TypeError", async () => {
    expect(unavailableStoreOf(await caught(() => testDb.db.execute(sql`select frobnicate(`)))).toBeNull();
    const raw = postgres(testDb.url, { max: 1, onnotice: () => {} });
    try {
      await raw`create temp table t (id int primary key)`;
      await raw`insert into t values (1)`;
      const duplicate = (await caught(() => raw`insert into t values (1)`)) as { code?: string };
      expect(duplicate.code).toBe("23505");
      expect(unavailableStoreOf(duplicate)).toBeNull();
    } finally {
      await raw.end({ timeout: 1 });
    }
    expect(unavailableStoreOf(new TypeError("x is undefined"))).toBeNull();
    expect(unavailableStoreOf(null)).toBeNull();
  });
});

describe("every HTTP surface answers 503 with Retry-After while the database is away", () => {
  let client: typeof import("../../db/client");

  beforeAll(async () => {
    vi.stubEnv("DATABASE_URL", `postgres://nobody@127.0.0.1:${closedPort}/nothing`);
    vi.stubEnv("REDIS_URL", testRedisUrl());
    vi.resetModules();
    client = await import("../../db/client");
  });
  afterAll(async () => {
    await client.closeDb();
  });

  async function expectUnavailableProblem(response: Response) {
    expect(response.status).toBe(503);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const problem = (await response.json()) as { type: string; status: number; detail: string };
    expect(problem.type).toBe("https://gatehouse.dev/problems/service-unavailable");
    expect(problem.status).toBe(503);
    expect(problem.detail).toMatch(/database is briefly unavailable/);
  }

  it("the public API (registration) and the admin API (token authentication)", async () => {
    const { callApi } = await import("../helpers/api");
    await expectUnavailableProblem(
      await callApi(
        new Request("http://localhost/api/v1/registrations", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ phone: "+33612345678", platform: "android" }),
        }),
      ),
    );
    await expectUnavailableProblem(
      await callApi(new Request("http://localhost/api/admin/v1/batches", { headers: { authorization: `Bearer ghs_${"x".repeat(40)}` } })),
    );
  });

  it("/api/health: 503 with Retry-After and the health report", async () => {
    const { callApi } = await import("../helpers/api");
    const response = await callApi(new Request("http://localhost/api/health"));
    expect(response.status).toBe(503);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await response.json()).toMatchObject({ status: "degraded", db: "down" });
  });

  it("consoleRoute (CSV exports) and server actions", async () => {
    const { consoleRoute } = await import("../../app/_server/console-route");
    const route = consoleRoute({ permission: "view", sessionStaffId: async () => randomUUID() }, () => ({ ok: true }));
    await expectUnavailableProblem(await route(new Request("http://localhost/export"), { params: Promise.resolve({}) }));

    const { runStaffAction } = await import("../../app/_server/action-spec");
    const { z } = await import("zod");
    const result = await runStaffAction({
      db: client.getDb(),
      staffId: randomUUID(),
      permission: "view",
      schema: z.object({}),
      rawInput: {},
      fn: async () => "never",
    });
    expect(result).toMatchObject({ ok: false, code: "unavailable" });
  });
});
