// Public `POST /api/v1/registrations` under load, SPEC §7: autocannon, 50 connections, 30 s,
// against the web tier's production entry (the front server with Next in it, `npm run web`) on
// the bench database, workers stopped, per-address limits and SMS budgets raised — target
// ≥ 1,000 req/s with p99 ≤ 100 ms, every 2xx registration present afterwards, the server's RSS
// under 500 MB, and what sizes a fleet: ≤ 0.8 ms of app CPU and ≤ 0.8 ms of PostgreSQL CPU per
// registration. Baselines in the same run, with the same client: a bare Node `http` server
// answering 202 with a small JSON body (this machine's ceiling), and a route served by Next's
// own request pipeline on the same server (GET /api/auth/providers: the framework's floor).
//
// Then overload: an open-loop client offers twice the rate just measured for 20 s. The server
// must shed what it cannot serve quickly — 503 problem+json with Retry-After within 50 ms — keep
// the p99 of what it accepts ≤ 250 ms, and lose nothing it accepted. The client holds a pool of
// kept-alive connections opened beforehand, as a load balancer in front would; the first second
// (the guard's reaction to the flood) is also printed apart.
//
// Each request registers a distinct valid French mobile (+33 75…, a mobile range the seed never
// uses — a grown database's later seed chunks would meet these numbers — skipping numbers
// already live in the database) for android. The registrations made here are LEFT in the bench database (pending
// verification, like any fresh signup): deleting them would also mean deleting their outbox rows
// and audit history, and they are a few tenths of a percent of 10M.
//
// As a module: `benchRegisterLoad(context)` (`npm run bench -- --only register-load`).
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type postgres from "postgres";
import { benchWebLaunch } from "../lib/bench-web";
import { percentile, runOpenLoop } from "../lib/open-loop-load";
import { databaseBackendsCpuSeconds, groupCpuSeconds, groupRssMb, machineCpu } from "../lib/process-cpu";
import { freePort } from "../lib/services";
import type { BenchRow } from "./types";

export interface BenchRegisterLoadOptions {
  sql: postgres.Sql;
  databaseUrl: string;
  redisUrl: string;
  /** Seconds of load per run (default 30). */
  durationSeconds?: number;
  connections?: number;
  /**
   * False at the smaller sizes of a growth run: only the load itself (15 s), for its cost per
   * registration; baselines and overload at the full size.
   */
  final?: boolean;
  log?: (line: string) => void;
}

const TARGET_RPS = 1_000;
const TARGET_P99_MS = 100;
const TARGET_RSS_MB = 500;
const TARGET_CPU_MS = 0.8;
const TARGET_SHED_MS = 50;
const TARGET_ACCEPTED_P99_UNDER_OVERLOAD_MS = 250;
const OVERLOAD_SECONDS = 20;
/** Kept-alive connections the overload client opens before it starts (a load balancer's pool). */
const OVERLOAD_CONNECTIONS = 512;
const root = path.resolve(import.meta.dirname, "..", "..");

/** The parts of autocannon v9's API used here (it ships no types). */
interface AutocannonRequest {
  method: "POST" | "GET";
  path: string;
  headers?: Record<string, string>;
  setupRequest?: (request: AutocannonRequest) => AutocannonRequest & { body?: string };
  onResponse?: (status: number, body: string) => void;
}
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  "2xx": number;
  statusCodeStats?: Record<string, { count: number }>;
}
type Autocannon = (options: { url: string; connections: number; duration: number; requests?: AutocannonRequest[] }) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

/** A process group we started, killed (SIGTERM, then SIGKILL) however the bench ends. */
interface Started {
  process: ChildProcess;
  stop: () => Promise<void>;
}

function startGroup(command: string, args: string[], env: NodeJS.ProcessEnv, output: string[]): Started {
  const child = spawn(command, args, { cwd: root, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  // Even if the bench process dies abruptly, do not leave a server behind.
  const onExit = () => killGroup("SIGKILL");
  process.once("exit", onExit);
  return {
    process: child,
    stop: async () => {
      process.removeListener("exit", onExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      killGroup("SIGTERM");
      const timer = setTimeout(() => killGroup("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitForHttp(url: string, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before answering ${url}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

/** `next build` only when there is no build at all (never over an existing one). */
function ensureBuild(log: (line: string) => void): void {
  if (existsSync(path.join(root, ".next", "BUILD_ID"))) return;
  log("register-load: no .next/BUILD_ID — running next build (under the heavy lock) …");
  const next = path.join(root, "node_modules", ".bin", "next");
  const result = process.env.GATEHOUSE_HEAVY_LOCK_HELD
    ? spawnSync(next, ["build"], { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } })
    : spawnSync("flock", ["/tmp/gatehouse-heavy.lock", next, "build"], { cwd: root, stdio: "inherit", env: { ...process.env, GATEHOUSE_HEAVY_LOCK_HELD: "1", NEXT_TELEMETRY_DISABLED: "1" } });
  if (result.status !== 0) throw new Error(`next build failed (${result.status ?? result.signal})`);
}

/** Distinct +33 75 mobiles not live in the database. */
async function freshMobiles(sql: postgres.Sql): Promise<() => string> {
  const taken = new Set(
    (
      await sql<{ phone: string }[]>`
        select phone from registrations
        where phone >= '+3375' and phone < '+3376' and status not in ('lapsed', 'removed')`
    ).map((r) => r.phone),
  );
  // A random start and an odd stride coprime with 10^7 visit every number once.
  let n = Number.parseInt(randomBytes(3).toString("hex"), 16) % 10_000_000;
  const stride = 7_919;
  return () => {
    for (;;) {
      n = (n + stride) % 10_000_000;
      const phone = `+3375${String(n).padStart(7, "0")}`;
      if (!taken.has(phone)) {
        taken.add(phone);
        return phone;
      }
    }
  };
}

const BARE_SERVER = `
const http = require("node:http");
const body = JSON.stringify({ registrationId: "00000000-0000-4000-8000-000000000000", status: "pending_verification", verificationExpiresAt: new Date().toISOString() });
http.createServer((req, res) => {
  req.resume();
  req.on("end", () => res.writeHead(202, { "content-type": "application/json", "cache-control": "no-store" }).end(body));
}).listen(Number(process.env.PORT), "127.0.0.1");
`;

/**
 * Raises what would refuse a load test from one address (velocity) or withhold its codes (SMS
 * budgets), restoring it afterwards.
 */
async function relaxPolicy(sql: postgres.Sql): Promise<() => Promise<void>> {
  const columns = ["velocity_max_per_ip", "velocity_max_per_prefix", "sms_budget_country_per_hour", "sms_budget_prefix_per_hour", "sms_budget_global_per_minute"];
  const [saved] = await sql<Record<string, number>[]>`select ${sql(columns)} from policy_settings where id = 1`;
  const raised = Object.fromEntries(columns.map((column) => [column, 1_000_000_000]));
  await sql`update policy_settings set ${sql(raised, columns)} where id = 1`;
  return async () => {
    await sql`update policy_settings set ${sql(saved!, columns)} where id = 1`;
  };
}

async function countPresent(sql: postgres.Sql, ids: string[]): Promise<number> {
  let present = 0;
  for (let i = 0; i < ids.length; i += 10_000) {
    const chunk = ids.slice(i, i + 10_000);
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from registrations where id = any(${chunk}::uuid[])`;
    present += row?.n ?? 0;
  }
  return present;
}

/**
 * Reads the registrations' indexes into the OS page cache, as a database in service has them.
 * At 10M a registration inserts into about 3 GB of randomly keyed indexes (phone hash, referral
 * code, id, live phone, status token), and a machine that reclaims idle page cache (this one's
 * VM does) turns the load test into a disk test: 592 req/s at p99 652 ms with the machine half
 * idle, against 1,231 req/s at p99 100 ms once they were read. pg_prewarm ships with PostgreSQL;
 * without it (or the right to create it) the load runs on whatever is cached, and says so.
 */
async function cacheRegistrationIndexes(sql: postgres.Sql, log: (line: string) => void): Promise<void> {
  const started = performance.now();
  try {
    await sql`create extension if not exists pg_prewarm`;
    const [row] = await sql<{ blocks: number }[]>`
      select coalesce(sum(pg_prewarm(i.indexrelid, 'read')), 0)::bigint::int as blocks
      from pg_index i where i.indrelid = 'registrations'::regclass`;
    log(`register-load: read ${Math.round(((row?.blocks ?? 0) * 8) / 1024)} MB of registration indexes into the page cache in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } catch (error) {
    log(`register-load: registration indexes not read ahead (${error instanceof Error ? error.message : String(error)}); a machine that drops idle page cache measures its disk`);
  }
}

export async function benchRegisterLoad(options: BenchRegisterLoadOptions): Promise<BenchRow[]> {
  const { sql } = options;
  const log = options.log ?? (() => {});
  const final = options.final !== false;
  const duration = Number(process.env.BENCH_LOAD_SECONDS ?? options.durationSeconds ?? (final ? 30 : 15));
  const connections = options.connections ?? 50;
  const databaseName = new URL(options.databaseUrl).pathname.slice(1);
  ensureBuild(log);

  const nextMobile = await freshMobiles(sql);
  const registrationBody = () => JSON.stringify({ phone: nextMobile(), platform: "android" });
  const started: Started[] = [];
  const serverOutput: string[] = [];
  const restorePolicy = await relaxPolicy(sql);
  try {
    // Baseline: the same client against a bare server in its own process.
    let bareResult: AutocannonResult | null = null;
    if (final) {
      const barePort = await freePort();
      const bare = startGroup(process.execPath, ["-e", BARE_SERVER], { ...process.env, PORT: String(barePort) }, []);
      started.push(bare);
      await waitForHttp(`http://127.0.0.1:${barePort}/`, 10_000, bare.process);
      bareResult = await autocannon({
        url: `http://127.0.0.1:${barePort}`,
        connections,
        duration,
        requests: [{ method: "POST", path: "/api/v1/registrations", headers: { "content-type": "application/json" }, setupRequest: (r) => ({ ...r, body: registrationBody() }) }],
      });
      await bare.stop();
      log(`register-load bare http server: ${bareResult.requests.average.toFixed(0)} req/s, p99 ${bareResult.latency.p99} ms`);
    }

    // The web tier's production entry on the bench database; no workers (they scale apart).
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    // BENCH_WEB_NODE_ARGS: extra node flags for the web process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
    const launch = benchWebLaunch({
      port,
      databaseUrl: options.databaseUrl,
      redisUrl: options.redisUrl,
      nodeArgs: process.env.BENCH_WEB_NODE_ARGS?.split(" ").filter(Boolean),
    });
    const web = startGroup(
      process.execPath,
      launch.args,
      launch.env,
      serverOutput,
    );
    started.push(web);
    await waitForHttp(`${base}/api/health`, 60_000, web.process);

    const registrationIds: string[] = [];
    const statuses = new Map<number, number>();
    const request: AutocannonRequest = {
      method: "POST",
      path: "/api/v1/registrations",
      headers: { "content-type": "application/json" },
      setupRequest: (r) => ({ ...r, body: registrationBody() }),
      onResponse: (status, body) => {
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status >= 200 && status < 300) registrationIds.push((JSON.parse(body) as { registrationId: string }).registrationId);
      },
    };
    // Warm up: open the pools, fill the caches, let the overload guard learn the rate.
    await autocannon({ url: base, connections: 10, duration: 3, requests: [request] });
    registrationIds.length = 0;
    statuses.clear();

    // Next's own request pipeline on the same server: what a route costs before any work.
    const floor = final
      ? await autocannon({ url: base, connections, duration: Math.min(duration, 10), requests: [{ method: "GET", path: "/api/auth/providers" }] })
      : null;
    if (floor) log(`register-load Next route (GET /api/auth/providers): ${floor.requests.average.toFixed(0)} req/s, p50 ${floor.latency.p50} / p99 ${floor.latency.p99} ms`);

    await cacheRegistrationIndexes(sql, log);
    let maxRssMb = 0;
    const sampler = setInterval(() => {
      maxRssMb = Math.max(maxRssMb, groupRssMb(web.process.pid!));
    }, 1_000);
    const appCpuBefore = groupCpuSeconds(web.process.pid!);
    const dbCpuBefore = databaseBackendsCpuSeconds(databaseName);
    const machineBefore = machineCpu();
    let result: AutocannonResult;
    try {
      result = await autocannon({ url: base, connections, duration, requests: [request] });
    } finally {
      clearInterval(sampler);
    }
    const appCpu = groupCpuSeconds(web.process.pid!) - appCpuBefore;
    const dbCpu = databaseBackendsCpuSeconds(databaseName) - dbCpuBefore;
    const machineAfter = machineCpu();
    const machineBusyPercent = (100 * (machineAfter.busy - machineBefore.busy)) / Math.max(1, machineAfter.total - machineBefore.total);
    maxRssMb = Math.max(maxRssMb, groupRssMb(web.process.pid!));
    const registered = registrationIds.length;
    const appMsPerRegistration = (1000 * appCpu) / Math.max(1, registered);
    const dbMsPerRegistration = (1000 * dbCpu) / Math.max(1, registered);
    const missing = registered - (await countPresent(sql, registrationIds));
    const statusText = [...statuses].map(([s, n]) => `${s}×${n}`).join(", ");
    log(
      `register-load: ${result.requests.average.toFixed(0)} req/s, p50 ${result.latency.p50} / p99 ${result.latency.p99} ms; ` +
        `statuses ${statusText}; errors ${result.errors}, timeouts ${result.timeouts}; ${registered} registered, ${missing} missing in the database; ` +
        `CPU per registration: app ${appMsPerRegistration.toFixed(3)} ms, PostgreSQL ${dbMsPerRegistration.toFixed(3)} ms; ` +
        `max RSS ${maxRssMb.toFixed(0)} MB; machine ${machineBusyPercent.toFixed(0)} % busy`,
    );
    if (result.non2xx > 0) log(`register-load server output (tail):\n${serverOutput.slice(-20).join("")}`);

    const growthRows: BenchRow[] = [
      { name: "app CPU per registration", value: appMsPerRegistration, unit: "ms", target: TARGET_CPU_MS, baseline: null, growth: "registration, app CPU" },
      { name: "PostgreSQL CPU per registration", value: dbMsPerRegistration, unit: "ms", target: TARGET_CPU_MS, baseline: null, growth: "registration, PostgreSQL CPU" },
      { name: "POST /registrations p50 latency", value: result.latency.p50, unit: "ms", target: null, baseline: bareResult?.latency.p50 ?? null, growth: "registration p50 latency under load" },
    ];
    if (!final || !bareResult || !floor) {
      await web.stop();
      return growthRows;
    }

    // Overload: twice the rate it just sustained, offered whatever it answers.
    const overloadRate = Math.max(100, Math.round(2 * result.requests.average));
    const overload = await runOpenLoop({
      url: base,
      rate: overloadRate,
      durationSeconds: OVERLOAD_SECONDS,
      warmConnections: OVERLOAD_CONNECTIONS,
      warmPath: "/api/health",
      request: () => ({ method: "POST", path: "/api/v1/registrations", headers: { "content-type": "application/json" }, body: registrationBody() }),
    });
    const accepted = overload.samples.filter((s) => s.status === 202);
    const shed = overload.samples.filter((s) => s.status === 503);
    const other = overload.samples.length - accepted.length - shed.length;
    const shedWithoutRetryAfter = shed.filter((s) => s.retryAfter === null || !s.body.includes('"status":503')).length;
    const acceptedIds = accepted.map((s) => (JSON.parse(s.body) as { registrationId: string }).registrationId);
    const overloadMissing = acceptedIds.length - (await countPresent(sql, acceptedIds));
    const acceptedP99 = percentile(accepted.map((s) => s.ms), 99);
    const shedP99 = percentile(shed.map((s) => s.ms), 99);
    const firstSecond = (samples: typeof shed) => percentile(samples.filter((s) => s.sentAtMs < 1000).map((s) => s.ms), 99);
    const onsetShedP99 = firstSecond(shed);
    const onsetAcceptedP99 = firstSecond(accepted);
    log(
      `register-load overload at ${overloadRate} req/s offered for ${OVERLOAD_SECONDS} s: ${accepted.length} accepted (p99 ${acceptedP99.toFixed(0)} ms), ` +
        `${shed.length} shed with 503 (p99 ${shedP99.toFixed(0)} ms${shedWithoutRetryAfter === 0 ? ", every one with Retry-After" : `, ${shedWithoutRetryAfter} without Retry-After or a problem body`}), ${other} other, ` +
        `${overload.errors} socket errors, ${overload.dropped} not sent; ${overloadMissing} accepted missing in the database; ` +
        `first second alone: 503 p99 ${onsetShedP99.toFixed(0)} ms, accepted p99 ${onsetAcceptedP99.toFixed(0)} ms`,
    );
    await web.stop();

    return [
      { name: "POST /registrations throughput", value: result.requests.average, unit: "req/s", target: TARGET_RPS, baseline: bareResult.requests.average },
      { name: "POST /registrations p99 latency", value: result.latency.p99, unit: "ms", target: TARGET_P99_MS, baseline: bareResult.latency.p99 },
      { name: "POST /registrations non-2xx + errors", value: result.non2xx + result.errors + result.timeouts, unit: "responses", target: 0, baseline: null },
      { name: "2xx registrations missing in the database", value: missing, unit: "rows", target: 0, baseline: null },
      ...growthRows,
      { name: "Next route on the same server (floor)", value: floor.requests.average, unit: "req/s", target: null, baseline: bareResult.requests.average },
      { name: "web server max RSS under load", value: maxRssMb, unit: "MB", target: TARGET_RSS_MB, baseline: null },
      { name: "overload (2×): 503 answered within, p99", value: shedP99, unit: "ms", target: TARGET_SHED_MS, baseline: null },
      { name: "overload (2×): accepted p99", value: acceptedP99, unit: "ms", target: TARGET_ACCEPTED_P99_UNDER_OVERLOAD_MS, baseline: result.latency.p99 },
      { name: "overload (2×): accepted lost, other answers, 503 without Retry-After", value: overloadMissing + other + shedWithoutRetryAfter, unit: "responses", target: 0, baseline: null },
      { name: "overload (2×): first second alone, 503 p99", value: onsetShedP99, unit: "ms", target: null, baseline: null },
      { name: "overload (2×): share shed", value: (100 * shed.length) / Math.max(1, overload.samples.length), unit: "%", target: null, baseline: null },
    ];
  } finally {
    for (const child of started.reverse()) await child.stop();
    await restorePolicy();
  }
}
