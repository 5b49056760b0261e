// The fault suite's machinery: its own PostgreSQL (embedded, stoppable) and Redis (restartable)
// on spare ports of this suite's range, the web tier's API server and a worker as child
// processes (every exit is recorded), a provider sink that counts deliveries per notification,
// and a registration load that tallies every answer.
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { openEmbeddedPostgres, startRedisServer } from "../../scripts/lib/services";
import { startWebhookSink, type WebhookSink } from "./notifications";

const root = path.resolve(import.meta.dirname, "../..");

/** Ports of the resilience range (17000–17099) that nothing listens on. */
export async function sparePorts(count: number, from = 17000, to = 17099): Promise<number[]> {
  const free: number[] = [];
  for (let port = from; port <= to && free.length < count; port++) {
    const ok = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (ok) free.push(port);
  }
  if (free.length < count) throw new Error(`only ${free.length} free ports in ${from}-${to}`);
  return free;
}

export interface FaultPostgres {
  url(database: string): string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** An embedded PostgreSQL in `dir` on `port`; stop() is a fast shutdown (it terminates every session), as a restart is. */
export async function startFaultPostgres(dir: string, port: number): Promise<FaultPostgres> {
  // Terminated sessions log FATAL lines by the hundred here: they are the point, not news.
  const pg = await openEmbeddedPostgres(dir, port, { log: () => {}, flags: ["-c", "max_connections=200", "-c", "fsync=off", "-c", "synchronous_commit=off"] });
  return {
    url: (database) => `postgres://postgres:postgres@127.0.0.1:${port}/${database}`,
    stop: () => pg.stop(),
    start: () => pg.start(),
  };
}

export interface FaultRedis {
  url: string;
  /** Stops the server (its data goes with it: no persistence) and starts a fresh one on the same port after `downMs`. */
  restart(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startFaultRedis(dir: string, port: number): Promise<FaultRedis> {
  let server = await startRedisServer(dir, port);
  if (!server) throw new Error("the fault suite needs redis-server on PATH");
  return {
    url: server.url,
    async restart(downMs) {
      await server!.stop();
      await new Promise((r) => setTimeout(r, downMs));
      server = await startRedisServer(dir, port);
      if (!server) throw new Error("redis-server did not start again");
    },
    stop: () => server!.stop(),
  };
}

export interface ChildApp {
  name: string;
  child: ChildProcess;
  /** Every exit of the process (the suite expects none until it stops them). */
  exits: { code: number | null; signal: NodeJS.Signals | null }[];
  lines: string[];
  /**
   * Every `process.unhandled_store_rejection` line (lib/store-outage-rejections.ts), kept whole:
   * a rejection postgres.js lost, whose stack says where, for whoever hunts it (#1186, #1215).
   */
  storeRejections: string[];
  stop(): Promise<void>;
}

/** A Gatehouse process (`node --import tsx <entry>`) with its output kept (the last 200 lines). */
export function spawnApp(name: string, entry: string, env: Record<string, string>): ChildApp {
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const app: ChildApp = {
    name,
    child,
    exits: [],
    lines: [],
    storeRejections: [],
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (!line) continue;
      app.lines.push(line);
      if (line.includes('"process.unhandled_store_rejection"')) app.storeRejections.push(line);
      if (app.lines.length > 200) app.lines.shift();
    }
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  child.on("exit", (code, signal) => app.exits.push({ code, signal }));
  return app;
}

export interface DeliverySink extends WebhookSink {
  /** Requests per notification id (the provider's Idempotency-Key). */
  requestsById: Map<string, number>;
  duplicates(): string[];
}

/** A provider that accepts every message at once and counts what it was sent. */
export async function startDeliverySink(): Promise<DeliverySink> {
  const requestsById = new Map<string, number>();
  const sink = await startWebhookSink((request) => {
    const id = String(request.json.id);
    requestsById.set(id, (requestsById.get(id) ?? 0) + 1);
    return { status: 200, body: { messageId: `sink-${id}` } };
  });
  return Object.assign(sink, { requestsById, duplicates: () => [...requestsById].filter(([, n]) => n > 1).map(([id]) => id) });
}

export interface LoadTally {
  ok: number;
  unavailable: number;
  /** Anything else: other statuses and transport errors, by kind. */
  other: Record<string, number>;
  /** 5xx other than 503: must stay 0. */
  serverErrors: number;
  /** Registration ids answered 2xx. */
  accepted: string[];
  retryAfterMissing: number;
}

export function emptyTally(): LoadTally {
  return { ok: 0, unavailable: 0, other: {}, serverErrors: 0, accepted: [], retryAfterMissing: 0 };
}

/**
 * `clients` loops posting registrations of fresh phones (+3361 and 7 digits from `phoneBase`),
 * each from its own forwarded address, until stop() is called.
 */
export function startRegistrationLoad(options: { baseUrl: string; clients: number; phoneBase: number; pauseMs: number }) {
  const tally = emptyTally();
  let stopped = false;
  let next = 0;
  const client = async (index: number) => {
    while (!stopped) {
      const n = options.phoneBase + next++;
      const phone = `+3361${String(n % 10_000_000).padStart(7, "0")}`;
      try {
        const response = await fetch(`${options.baseUrl}/api/v1/registrations`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": `198.51.${index}.${(n % 250) + 1}` },
          body: JSON.stringify({ phone, platform: n % 2 ? "ios" : "android" }),
          signal: AbortSignal.timeout(20_000),
        });
        const text = await response.text();
        if (response.status >= 200 && response.status < 300) {
          tally.ok += 1;
          tally.accepted.push((JSON.parse(text) as { registrationId: string }).registrationId);
        } else if (response.status === 503) {
          tally.unavailable += 1;
          if (!response.headers.get("retry-after")) tally.retryAfterMissing += 1;
        } else {
          if (response.status >= 500) tally.serverErrors += 1;
          tally.other[String(response.status)] = (tally.other[String(response.status)] ?? 0) + 1;
        }
      } catch (error) {
        const kind = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
        tally.other[kind] = (tally.other[kind] ?? 0) + 1;
      }
      await new Promise((r) => setTimeout(r, options.pauseMs));
    }
  };
  const running = Promise.all(Array.from({ length: options.clients }, (_, i) => client(i)));
  return {
    tally,
    async stop() {
      stopped = true;
      await running;
    },
  };
}

const fatalChecks: (() => string | null)[] = [];

/** A condition that ends every wait at once (a child process exited: waiting for it is pointless). */
export function failFastWhen(check: () => string | null): void {
  fatalChecks.push(check);
}

/** The processes' exits, described with their last output lines; null while none exited. */
export function describeExits(apps: ChildApp[]): string | null {
  const gone = apps.filter((app) => app.exits.length > 0);
  if (gone.length === 0) return null;
  return gone.map((app) => `${app.name} exited ${JSON.stringify(app.exits)}; its last lines:\n${app.lines.slice(-15).join("\n")}`).join("\n");
}

/**
 * Polls `check` until it returns a truthy value; errors (a database that is away) count as "not
 * yet", a failFastWhen condition ends the wait at once.
 */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 90_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const fatal = fatalChecks.map((c) => c()).find((reason) => reason !== null);
    if (fatal) throw new Error(`while waiting for ${what}: ${fatal}`);
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ""}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
