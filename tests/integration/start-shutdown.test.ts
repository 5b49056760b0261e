// SPEC §2 processes: SIGTERM sent to the `npm start` process itself (what a process manager or a
// container runtime sends) stops every process it started, in order, within
// WORKER_SHUTDOWN_GRACE_MS + 10 s — also when Redis or PostgreSQL is unreachable, where a
// graceful close would wait forever. Real processes: npm → node relay → supervisor (its own
// process group) → web processes (node:cluster), worker processes, embedded PostgreSQL.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import {
  alive,
  descendants,
  groupAlive,
  roleOf,
  sparePort,
  startNpm,
  startOwnRedis,
  waitUntilServing,
  type NpmStart,
  type OwnRedis,
  type ProcessInfo,
} from "../helpers/npm-start";
import { ensureProductionBuild } from "../helpers/production-build";

const GRACE_MS = 5000;
const BOUND_MS = GRACE_MS + 10_000;
const COUNTS = { web: 2, worker: 2 };

beforeAll(() => {
  ensureProductionBuild((line) => console.log(`[start-shutdown] ${line}`));
}, 600_000);

/** `npm start` with two web and two worker processes, once it serves. */
async function startServing(label: string, env: Record<string, string>): Promise<NpmStart> {
  const app = startNpm(
    { ...env, WEB_CONCURRENCY: String(COUNTS.web), WORKER_PROCESSES: String(COUNTS.worker), WORKER_SHUTDOWN_GRACE_MS: String(GRACE_MS) },
    { port: await sparePort(), label },
  );
  try {
    await waitUntilServing(app, COUNTS);
  } catch (error) {
    await app.cleanUp();
    throw error;
  }
  return app;
}

/** The processes `npm start` runs, by role, checked against the configured counts. */
function processTree(app: NpmStart): ProcessInfo[] {
  const tree = descendants(app.npm.pid!);
  const count = (role: string) => tree.filter((p) => roleOf(p) === role).length;
  expect({ web: count("web"), worker: count("worker") }).toEqual(COUNTS);
  // The relay (in npm's group) and the supervisor, leader of a group of its own.
  const starts = tree.filter((p) => roleOf(p) === "relay/supervisor");
  expect(starts).toHaveLength(2);
  const supervisor = starts.find((p) => p.pgrp === p.pid)!;
  expect(supervisor).toBeDefined();
  // No wrapper between the supervisor and what it runs: web and worker processes are its children.
  for (const p of tree.filter((p) => roleOf(p) === "web" || roleOf(p) === "worker")) {
    expect(p.ppid).toBe(supervisor.pid);
    expect(p.command.startsWith(process.execPath) || p.command.startsWith("node")).toBe(true);
  }
  return tree;
}

/** SIGTERM to npm, then every process it started is gone within the bound; returns the time taken. */
async function terminateAndCheckAllGone(app: NpmStart, tree: ProcessInfo[]): Promise<number> {
  const signalledAt = Date.now();
  process.kill(app.npm.pid!, "SIGTERM");
  const groups = new Set([app.npm.pid!, ...tree.map((p) => p.pgrp)]);
  await expect
    .poll(() => [...tree.filter((p) => alive(p.pid)).map((p) => `${p.pid} ${p.command.slice(0, 80)}`), ...[...groups].filter(groupAlive).map((g) => `group ${g}`)], {
      timeout: BOUND_MS + 5000,
      interval: 100,
    })
    .toEqual([]);
  const elapsedMs = Date.now() - signalledAt;
  console.log(`[start-shutdown] ${tree.length} processes gone ${elapsedMs} ms after SIGTERM (bound ${BOUND_MS} ms)`);
  expect(elapsedMs).toBeLessThan(BOUND_MS);
  expect(alive(app.npm.pid!)).toBe(false);
  // Every web and worker process exited on its own within its grace: none needed the SIGKILL.
  expect(app.events.filter((e) => e.msg === "supervisor.killing")).toEqual([]);
  expect(app.events.filter((e) => e.msg === "supervisor.exited")).toHaveLength(COUNTS.web + COUNTS.worker);
  return elapsedMs;
}

describe("npm start: SIGTERM to the npm process stops everything it started", () => {
  let redis: OwnRedis;
  let app: NpmStart | undefined;

  afterAll(async () => {
    await app?.cleanUp();
    await redis?.remove();
  });

  it("with its Redis stopped: web, workers, then the embedded PostgreSQL, within the grace + 10 s", { timeout: 120_000 }, async () => {
    redis = await startOwnRedis();
    app = await startServing("redis-down", { REDIS_URL: redis.url });
    const tree = processTree(app);
    expect(tree.some((p) => roleOf(p) === "postgres")).toBe(true);

    await redis.stop();
    await terminateAndCheckAllGone(app, tree);

    // In order: the web tier was told first, the workers next, PostgreSQL stopped after all of
    // them (the processes write to one pipe: their lines' own timestamps order them).
    const times = (msg: string) => app!.events.filter((e) => e.msg === msg).map((e) => Date.parse(e.time as string));
    expect(times("web.stopping")).toHaveLength(COUNTS.web);
    expect(times("worker.signal")).toHaveLength(COUNTS.worker);
    expect(Math.min(...times("worker.signal"))).toBeGreaterThanOrEqual(Math.max(...times("web.stopping")));
    const postgres = app.events.filter((e) => e.msg === "supervisor.service_stopping" && String(e.service).startsWith("embedded PostgreSQL"));
    expect(postgres).toHaveLength(1);
    expect(Date.parse(postgres[0]!.time as string)).toBeGreaterThanOrEqual(Math.max(...times("supervisor.exited")));
    expect(app.events.some((e) => e.msg === "supervisor.service_stopped" && String(e.service).startsWith("embedded PostgreSQL"))).toBe(true);
    expect(app.events.some((e) => e.msg === "supervisor.crashed")).toBe(false);
  });
});

/**
 * A TCP proxy to the test's PostgreSQL that can be cut: from then on it answers nothing, to
 * connections old and new (a network partition, the worst case for a shutdown: nothing fails
 * fast, everything waits).
 */
async function startCuttableProxy(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let cut = false;
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => {});
    if (cut) return;
    const upstream = net.connect(target.port, target.host);
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
    client.on("data", (data) => {
      if (!cut) upstream.write(data);
    });
    upstream.on("data", (data) => {
      if (!cut) client.write(data);
    });
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  const port = await sparePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    port,
    cut() {
      cut = true;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("npm start: SIGTERM with PostgreSQL unreachable", () => {
  let redis: OwnRedis;
  let database: TestDatabase;
  let proxy: Awaited<ReturnType<typeof startCuttableProxy>>;
  let app: NpmStart | undefined;

  afterAll(async () => {
    await app?.cleanUp();
    await proxy?.close();
    await redis?.remove();
    await database?.drop();
  });

  it("stops every process within the grace + 10 s although every database call hangs", { timeout: 120_000 }, async () => {
    redis = await startOwnRedis();
    database = await createTestDatabase();
    const admin = new URL(inject("pgAdminUrl"));
    proxy = await startCuttableProxy({ host: admin.hostname, port: Number(admin.port || 5432) });
    const url = new URL(database.url);
    url.hostname = "127.0.0.1";
    url.port = String(proxy.port);
    app = await startServing("postgres-unreachable", { DATABASE_URL: url.toString(), REDIS_URL: redis.url });
    const tree = processTree(app);

    proxy.cut();
    await terminateAndCheckAllGone(app, tree);
    expect(app.events.some((e) => e.msg === "supervisor.crashed")).toBe(false);
  });
});
