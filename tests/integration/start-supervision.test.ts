// Supervision that heals (issue 11 point 2): `npm start` restarts a crashed worker or web process
// with backoff and logs it; a worker's death never stops the web tier, which keeps answering
// /api/health throughout; a database blink (every backend terminated) stops nothing; only
// SIGINT/SIGTERM stops everything (here SIGINT to npm's whole process group, as Ctrl-C sends it).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import {
  alive,
  descendants,
  getStatus,
  groupAlive,
  roleOf,
  sparePort,
  startNpm,
  startOwnRedis,
  waitUntilServing,
  type NpmStart,
  type OwnRedis,
} from "../helpers/npm-start";
import { ensureProductionBuild } from "../helpers/production-build";

const COUNTS = { web: 2, worker: 1 };

let redis: OwnRedis;
let database: TestDatabase;
let app: NpmStart;

beforeAll(async () => {
  ensureProductionBuild((line) => console.log(`[start-supervision] ${line}`));
  redis = await startOwnRedis();
  database = await createTestDatabase();
  app = startNpm(
    {
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      WEB_CONCURRENCY: String(COUNTS.web),
      WORKER_PROCESSES: String(COUNTS.worker),
      WORKER_SHUTDOWN_GRACE_MS: "3000",
    },
    { port: await sparePort(), label: "supervision" },
  );
  await waitUntilServing(app, COUNTS);
}, 600_000);

afterAll(async () => {
  await app?.cleanUp();
  await redis?.remove();
  await database?.drop();
});

/**
 * Asks /api/health every 100 ms on a fresh connection until stopped, without waiting for earlier
 * answers (one request stuck on a process that was just killed does not hold up the next); every
 * answer or failure is kept with the time its request was sent.
 */
function healthProbe(port: number) {
  const results: { at: number; status: number | string }[] = [];
  const pending = new Set<Promise<void>>();
  const timer = setInterval(() => {
    const at = Date.now();
    const request = getStatus(`http://127.0.0.1:${port}/api/health`, 3000)
      .catch((error: Error) => error.message)
      .then((status) => {
        results.push({ at, status });
        pending.delete(request);
      });
    pending.add(request);
  }, 100);
  return {
    results,
    async stop() {
      clearInterval(timer);
      await Promise.all(pending);
      return results.sort((a, b) => a.at - b.at);
    },
  };
}

const pidsOf = (role: "web" | "worker") =>
  descendants(app.npm.pid!)
    .filter((p) => roleOf(p) === role)
    .map((p) => p.pid);

describe("npm start supervision", () => {
  it("listens with a deep accept queue: a burst of new connections is not dropped (a dropped SYN is retried only after 1 s)", () => {
    // For a listening socket, ss reports the accept queue's size as Send-Q; the kernel caps it at somaxconn.
    const [line] = execFileSync("ss", ["-ltnH", `sport = :${app.port}`]).toString().trim().split("\n");
    const backlog = Number(line!.trim().split(/\s+/)[2]);
    const somaxconn = Number(readFileSync("/proc/sys/net/core/somaxconn", "utf8"));
    expect(backlog).toBe(Math.min(4096, somaxconn));
    expect(backlog).toBeGreaterThan(511); // Node's default
  });

  it("restarts a worker killed with SIGKILL, while the web tier answers every health check", async () => {
    const [worker] = pidsOf("worker");
    const probe = healthProbe(app.port);
    await expect.poll(() => probe.results.length).toBeGreaterThan(3);

    process.kill(worker!, "SIGKILL");
    const crashed = await app.waitForEvent((e) => e.msg === "supervisor.crashed" && e.childPid === worker, "the supervisor to see the worker die");
    expect(crashed).toMatchObject({ role: "worker", signal: "SIGKILL" });
    const restarting = await app.waitForEvent((e) => e.msg === "supervisor.restarting" && e.role === "worker", "the restart to be scheduled");
    expect(restarting).toMatchObject({ attempt: 1, delayMs: 1000 });
    const started = await app.waitForEvent((e) => e.msg === "supervisor.started" && e.role === "worker" && e.childPid !== worker, "a new worker");
    await app.waitForEvent((e) => e.msg === "workers.started" && e.pid === started.childPid, "the new worker to run its queues");
    const results = await probe.stop();

    expect(alive(worker!)).toBe(false);
    expect(pidsOf("worker")).toEqual([started.childPid]);
    // Every health check during the worker's death and restart was answered by the web tier.
    expect(results.length).toBeGreaterThan(10);
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
  });

  it("restarts a killed web process; the other one serves meanwhile", async () => {
    const before = pidsOf("web");
    expect(before).toHaveLength(COUNTS.web);
    const probe = healthProbe(app.port);
    await expect.poll(() => probe.results.length).toBeGreaterThan(3);

    const killedAt = Date.now();
    process.kill(before[0]!, "SIGKILL");
    await app.waitForEvent((e) => e.msg === "supervisor.crashed" && e.childPid === before[0], "the supervisor to see the web process die");
    const started = await app.waitForEvent((e) => e.msg === "supervisor.started" && e.role === "web" && !before.includes(e.childPid as number), "a new web process");
    const restartedAt = Date.now();
    await app.waitForEvent((e) => e.msg === "web.listening" && e.pid === started.childPid, "the new web process to listen");
    const results = await probe.stop();

    expect(pidsOf("web").sort()).toEqual([before[1]!, started.childPid as number].sort());
    // A request that was on the killed process's connection at that instant may fail; from a
    // moment later until the new process was up (the 1 s backoff), the survivor answered them all.
    const meanwhile = results.filter((r) => r.at > killedAt + 300 && r.at < restartedAt);
    expect(meanwhile.length).toBeGreaterThan(5);
    expect(meanwhile.filter((r) => r.status !== 200)).toEqual([]);
    expect(results.filter((r) => r.at >= restartedAt && r.status !== 200)).toEqual([]);
  });

  it("rides through a database blink: every backend terminated, no process exits, health and registrations come back", async () => {
    const crashesBefore = app.events.filter((e) => e.msg === "supervisor.crashed").length;
    const probe = healthProbe(app.port);
    await expect.poll(() => probe.results.length).toBeGreaterThan(3);
    const admin = postgres(inject("pgAdminUrl"), { max: 1, onnotice: () => {} });
    let terminated: number;
    try {
      const rows = await admin`select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = ${database.name} and pid <> pg_backend_pid()`;
      terminated = rows.filter((r) => r.ok).length;
    } finally {
      await admin.end({ timeout: 2 });
    }
    // The web processes' and the worker's pools all had connections open.
    expect(terminated).toBeGreaterThanOrEqual(2);
    const blinkAt = Date.now();
    await expect.poll(() => probe.results.filter((r) => r.at > blinkAt && r.status === 200).length, { timeout: 15_000 }).toBeGreaterThan(5);
    const register = await fetch(`http://127.0.0.1:${app.port}/api/v1/registrations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ phone: "+33612345678", platform: "ios" }),
    });
    expect(register.status).toBe(202);
    // Let the worker's relay and sweeps meet the dead connections too.
    await new Promise((r) => setTimeout(r, 2000));
    const results = await probe.stop();

    // Answered throughout: 200, or 503 while a pool reconnected; never a refused connection or a 500.
    expect(results.filter((r) => r.status !== 200 && r.status !== 503)).toEqual([]);
    expect(app.events.filter((e) => e.msg === "supervisor.crashed")).toHaveLength(crashesBefore);
  });

  it("stops everything on SIGINT to npm's process group (Ctrl-C), and only then", async () => {
    const tree = descendants(app.npm.pid!);
    const groups = new Set([app.npm.pid!, ...tree.map((p) => p.pgrp)]);
    process.kill(-app.npm.pid!, "SIGINT");
    await expect.poll(() => [...tree.filter((p) => alive(p.pid)).map((p) => p.pid), ...[...groups].filter(groupAlive)], { timeout: 20_000, interval: 100 }).toEqual([]);
    expect(await app.exited).toEqual({ code: 0, signal: null });
    expect(app.events.filter((e) => e.msg === "supervisor.stopping")).toHaveLength(1);
    // Nothing crashed on the way down: every process was stopped, none restarted.
    const stoppingAt = app.events.findIndex((e) => e.msg === "supervisor.stopping");
    expect(app.events.slice(stoppingAt).filter((e) => e.msg === "supervisor.crashed" || e.msg === "supervisor.restarting")).toEqual([]);
  });
});

describe("npm start when the supervisor itself is killed", () => {
  let own: NpmStart | undefined;
  afterAll(async () => {
    await own?.cleanUp();
  });

  it("leaves nothing running: the relay npm runs stops the supervisor's process group", { timeout: 120_000 }, async () => {
    own = startNpm(
      { DATABASE_URL: database.url, REDIS_URL: redis.url, WEB_CONCURRENCY: "1", WORKER_PROCESSES: "1", WORKER_SHUTDOWN_GRACE_MS: "3000" },
      { port: await sparePort(), label: "supervisor-killed" },
    );
    await waitUntilServing(own, { web: 1, worker: 1 });
    const tree = descendants(own.npm.pid!);
    const supervisor = tree.find((p) => roleOf(p) === "relay/supervisor" && p.pgrp === p.pid)!;
    expect(tree.filter((p) => p.ppid === supervisor.pid).map(roleOf).sort()).toEqual(["web", "worker"]);

    process.kill(supervisor.pid, "SIGKILL");
    await expect.poll(() => [...tree.filter((p) => alive(p.pid)).map((p) => p.pid), ...(groupAlive(supervisor.pid) ? ["group"] : [])], { timeout: 20_000, interval: 100 }).toEqual([]);
    expect(await own.exited).toEqual({ code: 1, signal: null });
  });
});
