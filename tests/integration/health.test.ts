// Health checks against the real stores, and against closed ports for the "down" cases.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { connectDatabase } from "../../db/client";
import { checkDatabase, checkHealth, checkRedis } from "../../lib/health";
import { freePort } from "../../scripts/lib/services";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { testRedisUrl } from "../helpers/redis";

let testDb: TestDatabase;
let closedPort: number;
const savedEnv = { DATABASE_URL: process.env.DATABASE_URL, REDIS_URL: process.env.REDIS_URL };

beforeAll(async () => {
  testDb = await createTestDatabase();
  closedPort = await freePort();
});
afterAll(async () => {
  await testDb.drop();
  for (const [key, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

describe("health checks", () => {
  it("reports ok for a live database and Redis", async () => {
    expect(await checkHealth({ db: testDb.db, redis: { url: testRedisUrl() } })).toEqual({ status: "ok", db: "ok", redis: "ok" });
  });

  it("reports a database on a closed port as down, quickly", async () => {
    const dead = connectDatabase(`postgres://nobody@127.0.0.1:${closedPort}/nothing`, { max: 1 });
    const started = performance.now();
    try {
      expect(await checkDatabase(dead.db)).toBe("down");
      expect(await checkHealth({ db: dead.db, redis: { url: testRedisUrl() } })).toEqual({ status: "degraded", db: "down", redis: "ok" });
    } finally {
      await dead.close();
    }
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it("reports a database that never answers as down within the timeout", async () => {
    // A server that accepts TCP and then says nothing: the check must not hang.
    const net = await import("node:net");
    const sockets: import("node:net").Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as import("node:net").AddressInfo).port;
    const hung = connectDatabase(`postgres://nobody@127.0.0.1:${port}/nothing`, { max: 1 });
    const started = performance.now();
    try {
      expect(await checkDatabase(hung.db, 300)).toBe("down");
      expect(performance.now() - started).toBeLessThan(1_500);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
      void hung.close();
    }
  });

  it("reports Redis on a closed port as down, quickly, while the database stays ok (still healthy)", async () => {
    const started = performance.now();
    expect(await checkRedis({ url: `redis://127.0.0.1:${closedPort}` })).toBe("down");
    expect(await checkHealth({ db: testDb.db, redis: { url: `redis://127.0.0.1:${closedPort}` } })).toEqual({
      status: "ok",
      db: "ok",
      redis: "down",
    });
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe("GET /api/health", () => {
  async function loadRoute(env: Record<string, string>) {
    Object.assign(process.env, env);
    vi.resetModules();
    const { callApi } = await import("../helpers/api");
    const client = await import("../../db/client");
    return { GET: () => callApi(new Request("http://localhost/api/health")), closeDb: client.closeDb };
  }

  it("answers 200 with db and redis ok", async () => {
    const { GET, closeDb } = await loadRoute({ DATABASE_URL: testDb.url, REDIS_URL: testRedisUrl() });
    try {
      const response = await GET();
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: "ok", db: "ok", redis: "ok" });
    } finally {
      await closeDb();
    }
  });

  it("answers 503 degraded when the database is down", async () => {
    const { GET, closeDb } = await loadRoute({
      DATABASE_URL: `postgres://nobody@127.0.0.1:${closedPort}/nothing`,
      REDIS_URL: testRedisUrl(),
    });
    try {
      const response = await GET();
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: "degraded", db: "down", redis: "ok" });
    } finally {
      await closeDb();
    }
  });
});

describe("GET /api/health/live", () => {
  it("answers 200 without touching the database, even when it is down", async () => {
    Object.assign(process.env, { DATABASE_URL: `postgres://nobody@127.0.0.1:${closedPort}/nothing` });
    vi.resetModules();
    const { callApi } = await import("../helpers/api");
    const response = await callApi(new Request("http://localhost/api/health/live"));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });
});
