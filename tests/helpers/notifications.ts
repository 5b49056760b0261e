// Shared by the notification/outbox/worker integration tests: a provider that counts what it is
// given, outbox rows in bulk, and polling.
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { vi } from "vitest";
import type { Database } from "../../db/client";
import type { NotificationChannel, NotificationKind } from "../../db/schema";
import { insertNotifications, type OutboxMessage } from "../../lib/notifications/outbox";
import type { NotificationProvider, NotificationProviders, OutgoingMessage } from "../../lib/notifications/providers/types";
import type { Logger } from "../../jobs/processor";

export interface CountingProvider extends NotificationProvider {
  /** Sends per notification id. */
  counts: Map<string, number>;
  messages: OutgoingMessage[];
  total(): number;
  duplicates(): string[];
}

export function countingProvider(
  options: { delayMs?: number; fail?: (m: OutgoingMessage) => Error | null; gate?: () => Promise<void> } = {},
): CountingProvider {
  const counts = new Map<string, number>();
  const messages: OutgoingMessage[] = [];
  return {
    name: "counting",
    counts,
    messages,
    total: () => messages.length,
    duplicates: () => [...counts].filter(([, n]) => n > 1).map(([id]) => id),
    async send(message) {
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      await options.gate?.();
      const failure = options.fail?.(message);
      if (failure) throw failure;
      counts.set(message.id, (counts.get(message.id) ?? 0) + 1);
      messages.push(message);
      return { providerMessageId: `test-${message.id}` };
    },
  };
}

export function bothChannels(provider: NotificationProvider): NotificationProviders {
  return { sms: provider, email: provider };
}

export function outboxMessage(overrides: Partial<OutboxMessage> = {}): OutboxMessage {
  const channel: NotificationChannel = overrides.channel ?? "sms";
  const kind: NotificationKind = overrides.kind ?? "verification_code";
  return {
    kind,
    channel,
    recipient: channel === "sms" ? "+33612345678" : `${randomUUID().slice(0, 8)}@example.test`,
    locale: "en",
    params: { expiresAt: new Date(Date.now() + 30 * 60_000).toISOString() },
    secret: "123456",
    ...overrides,
  };
}

export async function insertOutbox(db: Database, count: number, overrides: Partial<OutboxMessage> = {}): Promise<string[]> {
  const rows = await db.transaction((tx) => insertNotifications(tx, Array.from({ length: count }, () => outboxMessage(overrides))));
  return rows.map((r) => r.id);
}

export async function statusCounts(db: Database): Promise<Record<string, number>> {
  const rows = await db.execute<{ status: string; n: number }>(sql`select status::text as status, count(*)::int as n from notifications group by status`);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** Collects lifecycle log lines instead of printing them. */
export function memoryLogger(): Logger & { events: { event: string; fields: Record<string, unknown> }[] } {
  const events: { event: string; fields: Record<string, unknown> }[] = [];
  const log = ((event: string, fields: Record<string, unknown> = {}) => {
    events.push({ event, fields });
  }) as Logger & { events: typeof events };
  log.events = events;
  return log;
}

export interface SinkRequest {
  raw: string;
  json: Record<string, unknown>;
  headers: import("node:http").IncomingHttpHeaders;
  receivedAt: number;
  /** The client's connection (destroyed when the client went away). */
  socket: import("node:net").Socket;
}

/** What the sink does with a request: answer with a status (and JSON body), or never answer. */
export type SinkAnswer = { status: number; body?: unknown } | "hang";

export interface WebhookSink {
  url: string;
  requests: SinkRequest[];
  close(): Promise<void>;
}

/** A local HTTP endpoint standing in for an SMS provider. */
export async function startWebhookSink(respond: (request: SinkRequest) => SinkAnswer | Promise<SinkAnswer>): Promise<WebhookSink> {
  const { createServer } = await import("node:http");
  const requests: SinkRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const request: SinkRequest = { raw, json: JSON.parse(raw), headers: req.headers, receivedAt: Date.now(), socket: req.socket };
      requests.push(request);
      const answer = await respond(request);
      if (answer === "hang") return;
      res.writeHead(answer.status, { "content-type": "application/json" });
      res.end(JSON.stringify(answer.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as import("node:net").AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}/sms`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A gate sends wait at while closed. */
export function gate(): { wait(): Promise<void>; close(): void; open(): void } {
  let opened: Promise<void> = Promise.resolve();
  let release = () => {};
  return {
    wait: () => opened,
    close() {
      opened = new Promise<void>((resolve) => (release = resolve));
    },
    open: () => release(),
  };
}

export interface WorkerProcess {
  child: import("node:child_process").ChildProcess;
  /** Parsed log lines printed so far, `event` being the line's message. */
  events: { event: string; [key: string]: unknown }[];
  waitForEvent(event: string, timeoutMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `jobs/worker.ts` as its own process (as `npm run worker` does) with the given env. */
export async function spawnWorker(env: Record<string, string>): Promise<WorkerProcess> {
  const { spawn } = await import("node:child_process");
  const root = new URL("../../", import.meta.url).pathname;
  const child = spawn(process.execPath, ["--import", "tsx", "jobs/worker.ts"], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "test", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const events: WorkerProcess["events"] = [];
  let buffer = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    buffer += chunk.toString("utf8");
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      try {
        // pino lines (lib/log.ts): the event is the message.
        const parsed = JSON.parse(line) as { msg?: unknown };
        if (typeof parsed.msg === "string") events.push({ ...parsed, event: parsed.msg });
      } catch {
        // not a lifecycle line
      }
    }
  });
  child.stderr!.on("data", () => {});
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    events,
    exited,
    waitForEvent: (event, timeoutMs = 30_000) =>
      vi.waitFor(
        () => {
          if (!events.some((e) => e.event === event)) throw new Error(`still waiting for worker event ${event}`);
        },
        { timeout: timeoutMs, interval: 50 },
      ),
  };
}
