// `npm start` as an operator runs it, for the process tests: the real npm → node chain, on a
// Redis and a database of the test's own, with the production build (built first when stale).
// The tests look at the processes themselves (/proc: pids, parents, process groups) and at the
// JSON log lines every process writes.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { startRedisServer } from "../../scripts/lib/services";

const root = path.resolve(import.meta.dirname, "../..");

/** A free port in this area's range (TEAM: processes 17100-17199), from a random start. */
export async function sparePort(from = 17100, to = 17199): Promise<number> {
  const size = to - from + 1;
  const offset = Math.floor(Math.random() * size);
  for (let i = 0; i < size; i++) {
    const port = from + ((offset + i) % size);
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port in ${from}-${to}`);
}

export type OwnRedis = NonNullable<Awaited<ReturnType<typeof startRedisServer>>> & {
  /** Stops it (if still running) and removes its directory. */
  remove(): Promise<void>;
};

/** A redis-server of the test's own on a spare port (never the machine's shared one). */
export async function startOwnRedis(): Promise<OwnRedis> {
  const dir = mkdtempSync(path.join(tmpdir(), "gh-start-redis-"));
  const redis = await startRedisServer(dir, await sparePort());
  if (!redis) throw new Error("redis-server is not on PATH");
  return Object.assign(redis, {
    async remove() {
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgrp: number;
  state: string;
  command: string;
}

function readProcess(pid: number): ProcessInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const command = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
    return { pid, ppid: Number(fields[1]), pgrp: Number(fields[2]), state: fields[0]!, command };
  } catch {
    return null;
  }
}

/** Every live process descending from `pid` (not `pid` itself). */
export function descendants(pid: number): ProcessInfo[] {
  const all = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcess(Number(name)))
    .filter((p): p is ProcessInfo => p !== null);
  const found: ProcessInfo[] = [];
  const parents = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (parents.has(p.ppid) && !parents.has(p.pid)) {
        parents.add(p.pid);
        found.push(p);
        grew = true;
      }
    }
  }
  return found;
}

/** Whether the process exists at all (a zombie counts: it has not been reaped). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether any process is left in the process group. */
export function groupAlive(pgrp: number): boolean {
  try {
    process.kill(-pgrp, 0);
    return true;
  } catch {
    return false;
  }
}

export function roleOf(p: ProcessInfo): "relay/supervisor" | "web" | "worker" | "postgres" | "redis" | "other" {
  if (p.command.includes("scripts/start.ts")) return "relay/supervisor";
  if (p.command.includes("app/_server/front/serve.ts")) return "web";
  if (p.command.includes("jobs/worker.ts")) return "worker";
  if (/\bpostgres\b/.test(p.command)) return "postgres";
  if (p.command.includes("redis-server")) return "redis";
  return "other";
}

export interface LogLine {
  msg?: string;
  pid?: number;
  [field: string]: unknown;
}

export interface NpmStart {
  npm: ChildProcess;
  port: number;
  dataDir: string;
  lines: string[];
  events: LogLine[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first log line (from now on or already seen) that matches. */
  waitForEvent(match: (line: LogLine) => boolean, what: string, timeoutMs?: number): Promise<LogLine>;
  /** Kills whatever is left (test clean-up) and removes the data directory. */
  cleanUp(): Promise<void>;
}

/** `label` names the log kept in test-artifacts/npm-start-<label>.log (everything npm start wrote). */
export function startNpm(env: Record<string, string>, options: { port: number; label: string; args?: string[] }): NpmStart {
  const dataDir = mkdtempSync(path.join(tmpdir(), "gh-start-data-"));
  // Run as root, the embedded PostgreSQL runs as the postgres user: it must reach its directory.
  chmodSync(dataDir, 0o755);
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  // Nothing of the test runner's own configuration leaks into the app under test.
  for (const name of Object.keys(childEnv)) {
    if (name === "NODE_ENV" || name.startsWith("VITEST") || ["DATABASE_URL", "MIGRATION_DATABASE_URL", "REDIS_URL", "REDIS_CLUSTER_NODES", "TEST"].includes(name)) {
      delete childEnv[name];
    }
  }
  // detached: npm leads a process group of its own, which clean-up can signal as a whole.
  const npm = spawn("npm", ["start", ...(options.args ?? [])], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...childEnv,
      PORT: String(options.port),
      DATA_DIR: dataDir,
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      QUEUE_PREFIX: `gh-start-${randomBytes(4).toString("hex")}`,
      LOG_LEVEL: "info",
      ...env,
    },
  });
  const lines: string[] = [];
  const events: LogLine[] = [];
  const onLine = (line: string) => {
    lines.push(line);
    if (!line.startsWith("{")) return;
    let event: LogLine;
    try {
      event = JSON.parse(line) as LogLine;
    } catch {
      return;
    }
    events.push(event);
    for (const waiter of waiters) {
      if (waiter.match(event)) {
        waiters.delete(waiter);
        waiter.resolve(event);
      }
    }
  };
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => npm.once("exit", (code, signal) => resolve({ code, signal })));
  const waiters = new Set<{ match: (line: LogLine) => boolean; resolve: (line: LogLine) => void; reject: (error: Error) => void }>();
  // npm exiting ends every wait at once (with its output), instead of at the wait's timeout.
  void exited.then(({ code, signal }) => {
    for (const waiter of waiters) waiter.reject(new Error(`npm start exited (${code ?? signal}); output:\n${lines.slice(-60).join("\n")}`));
    waiters.clear();
  });
  for (const stream of [npm.stdout!, npm.stderr!]) {
    let buffer = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      buffer += chunk;
      const parts = buffer.split("\n");
      buffer = parts.pop()!;
      for (const part of parts) onLine(part);
    });
  }

  return {
    npm,
    port: options.port,
    dataDir,
    lines,
    events,
    exited,
    waitForEvent(match, what, timeoutMs = 60_000) {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const waiter = {
          match,
          resolve: (line: LogLine) => {
            clearTimeout(timer);
            resolve(line);
          },
          reject: (error: Error) => {
            clearTimeout(timer);
            reject(error);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`timed out waiting for ${what}; output so far:\n${lines.slice(-60).join("\n")}`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    async cleanUp() {
      const left = descendants(npm.pid!);
      for (const pgrp of new Set([npm.pid!, ...left.map((p) => p.pgrp)])) {
        try {
          process.kill(-pgrp, "SIGKILL");
        } catch {}
      }
      rmSync(dataDir, { recursive: true, force: true });
      const artifacts = path.join(root, "test-artifacts");
      mkdirSync(artifacts, { recursive: true });
      writeFileSync(path.join(artifacts, `npm-start-${options.label}.log`), `${lines.join("\n")}\n`);
    },
  };
}

/** One GET with a connection of its own (no keep-alive: each request is routed afresh). */
export function getStatus(url: string, timeoutMs = 5000): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false, timeout: timeoutMs }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
    });
    request.on("timeout", () => request.destroy(new Error("timeout")));
    request.on("error", reject);
  });
}

/** Waits until `npm start` serves (the console answers /api/health) with every process started. */
export async function waitUntilServing(app: NpmStart, counts: { web: number; worker: number }): Promise<void> {
  for (let i = 0; i < counts.web; i++) {
    await app.waitForEvent((e) => e.msg === "web.listening" && app.events.filter((x) => x.msg === "web.listening").length > i, `web process ${i + 1} listening`, 120_000);
  }
  for (let i = 0; i < counts.worker; i++) {
    await app.waitForEvent((e) => e.msg === "workers.started" && app.events.filter((x) => x.msg === "workers.started").length > i, `worker process ${i + 1} started`, 60_000);
  }
  const deadline = Date.now() + 30_000;
  while ((await getStatus(`http://127.0.0.1:${app.port}/api/health`).catch(() => 0)) !== 200) {
    if (Date.now() > deadline) throw new Error(`/api/health did not answer 200 within 30 s; output so far:\n${app.lines.slice(-60).join("\n")}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
