// `npm start` (and `npm run dev` with --dev): everything on one machine. Resolves PostgreSQL
// and Redis (SPEC §2), applies migrations, creates the first admin, optionally loads the demo
// data, builds the console when the build is missing or stale, then runs `next start` and one
// worker process until Ctrl-C / SIGTERM, and stops them, Redis and PostgreSQL in that order.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { migrateDatabase } from "@/db/migrate";
import { spawnChild, stopChild, portIsFree, waitForHttp, type Child } from "./lib/children";
import { buildIsCurrent, recordBuild, sourceHash } from "./lib/next-build";
import { ensureAuthSecret, loadEnv, OperatorError, resolveAppDatabase, resolveDataDir, runMain } from "./lib/runtime";
import { resolveRedis, type Service } from "./lib/services";

const root = path.resolve(import.meta.dirname, "..");
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);
const log = (line: string) => console.log(`[gatehouse] ${line}`);
const SUPERVISED = "GATEHOUSE_START_SUPERVISED";

/**
 * Ctrl-C signals the terminal's whole process group, and embedded PostgreSQL is a child we
 * cannot detach: it would stop at once, under a worker still finishing its jobs. So the real
 * work runs in a detached copy of this script (its own process group); this parent only
 * forwards Ctrl-C / SIGTERM to it and exits with its code.
 */
function superviseDetached(): void {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    detached: true,
    stdio: "inherit",
    env: { ...process.env, [SUPERVISED]: "1" },
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => child.kill(signal === "SIGHUP" ? "SIGTERM" : signal));
  }
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { demo: { type: "boolean", default: false }, dev: { type: "boolean", default: false } } });
  const env = await loadEnv();
  const dataDir = resolveDataDir(env);
  const auth = ensureAuthSecret(env, dataDir);
  if (!(await portIsFree(env.PORT))) throw new OperatorError(`Port ${env.PORT} is already in use: stop what runs there or set PORT.`);

  // Everything started so far, stopped in reverse order on the way out.
  const services: Service[] = [];
  const children: Child[] = [];
  let stopping: Promise<void> | null = null;
  const stopAll = () =>
    (stopping ??= (async () => {
      for (const child of children) log(`stopping ${child.name} …`);
      await Promise.all(children.map((child) => stopChild(child, 15_000)));
      for (const service of services.reverse()) {
        // Services found already running (env URLs, the machine's Redis) are not ours to stop.
        if (service.owned) log(`stopping ${service.origin} …`);
        await service.stop().catch((error: unknown) => log(`could not stop ${service.origin}: ${String(error)}`));
      }
    })());
  let exitCode: number | null = null;
  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((resolve) => (resolveDone = resolve));
  const finish = (code: number) => {
    if (exitCode !== null) return;
    exitCode = code;
    void stopAll().then(() => resolveDone(code));
  };
  process.on("SIGINT", () => finish(0));
  process.on("SIGTERM", () => finish(0));

  try {
    const pg = await resolveAppDatabase(env, dataDir, log);
    services.push(pg);
    let redis: Service;
    try {
      redis = await resolveRedis({ envUrl: process.env.REDIS_URL || undefined, clusterNodes: env.REDIS_CLUSTER_NODES, dataDir, log });
    } catch (error) {
      throw new OperatorError(error instanceof Error ? error.message : String(error));
    }
    services.push(redis);

    log("applying migrations …");
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

    // The web tier's entry: the front server with Next in it (one process, no wrapper in between).
    const webEntry = path.join(root, "app", "_server", "front", "serve.ts");
    const web = spawnChild("web", process.execPath, ["--import", "tsx", webEntry, ...(values.dev ? ["--dev"] : [])], { ...childEnv, NODE_ENV: values.dev ? "development" : "production" }, root);
    children.push(web);
    const workerEntry = path.join(root, "jobs", "worker.ts");
    if (existsSync(workerEntry)) children.push(spawnChild("worker", process.execPath, ["--import", "tsx", workerEntry], childEnv, root));
    else log("warning: jobs/worker.ts does not exist yet — running without a worker (notifications will wait in the outbox)");
    for (const child of children) {
      void child.exited.then((code) => {
        if (exitCode === null) {
          log(`${child.name} exited unexpectedly (${code}); stopping everything`);
          finish(1);
        }
      });
    }

    const up = await waitForHttp(`http://127.0.0.1:${port}/api/health`, values.dev ? 180_000 : 60_000, () => exitCode === null);
    if (up) printBanner({ url: `http://localhost:${port}`, admin, pg, redis, dataDir, authOrigin: auth.origin, workers: children.length - 1 });
    else if (exitCode === null) log("the console did not answer within a minute; still waiting for it (Ctrl-C stops)");
    return await done;
  } catch (error) {
    await stopAll();
    throw error;
  }
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
        log("--demo: skipped, the database already has registrations (the demo only loads into an empty one)");
      } else {
        const { loadDemoData } = await import("@/scripts/seed/demo");
        const summary = await loadDemoData(connection.db);
        log(`--demo: loaded ${summary.registrations} registrations, ${summary.members} members, ${summary.phases} phases`);
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
  log("building the console (next build) — a minute or two the first time …");
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
    `    Workers    ${info.workers}`,
    "  Ctrl-C stops everything.",
    "",
  ];
  console.log(lines.join("\n"));
}

if (process.env[SUPERVISED]) runMain(main);
else superviseDetached();
