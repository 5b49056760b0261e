// Chaos: 3 worker processes drain 10,000 notifications to a webhook sink while one of them is
// killed with SIGKILL every few seconds (and replaced), and the sink sometimes accepts a
// message without ever answering (the worker times out and retries with the same
// Idempotency-Key, which the sink — like a real provider — answers without delivering twice).
//
// Must hold: no message is delivered twice, no request goes out without its own claim or after
// the row is sent, nothing is left pending/queued/sending, and `unknown` rows are the claims a
// kill interrupted.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NotificationStatus } from "../../db/schema";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { deleteKeysWithPrefix, testRedisUrl, uniqueQueuePrefix } from "../helpers/redis";
import { insertOutbox, spawnWorker, startWebhookSink, statusCounts, type WorkerProcess } from "../helpers/notifications";

const TOTAL = Number(process.env.CHAOS_NOTIFICATIONS ?? 10_000);
const WORKERS = 3;
const KILL_EVERY_MS = 3000;
const MAX_KILLS = 12;
const CONCURRENCY = 20;
const HANG_RATE = 0.01;

let database: TestDatabase;
const prefix = uniqueQueuePrefix();
const dataDir = mkdtempSync(path.join(tmpdir(), "gh-chaos-"));

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
  await deleteKeysWithPrefix(prefix);
  rmSync(dataDir, { recursive: true, force: true });
});

interface SinkRecord {
  requests: number;
  /** The provider has the message (delivered once, whatever happened to the answer). */
  accepted: boolean;
  /** A 2xx answer was written (the client may still have given up waiting first). */
  answered: boolean;
  /** Accepted, and the sink chose never to answer. */
  hung: boolean;
  /** Accepted, and the client's connection died before the answer (the worker was killed). */
  abortedByClient: boolean;
  receivedAt: number[];
}

describe("notification delivery under chaos", () => {
  it("never delivers twice and leaves nothing in flight while workers are SIGKILLed", async () => {
    const records = new Map<string, SinkRecord>();
    let deliveries = 0;
    const sink = await startWebhookSink(async (request) => {
      const id = String(request.json.id);
      let record = records.get(id);
      if (!record) {
        record = { requests: 0, accepted: false, answered: false, hung: false, abortedByClient: false, receivedAt: [] };
        records.set(id, record);
      }
      record.requests += 1;
      record.receivedAt.push(Date.now());
      if (record.accepted) {
        // Idempotency-Key replay: answer as the first time, deliver nothing new.
        record.answered = true;
        return { status: 200, body: { messageId: `sink-${id}` } };
      }
      record.accepted = true;
      deliveries += 1;
      if (Math.random() < HANG_RATE) {
        record.hung = true;
        return "hang";
      }
      await new Promise((r) => setTimeout(r, Math.random() * 30));
      if (request.socket.destroyed) {
        record.abortedByClient = true;
        return "hang";
      }
      record.answered = true;
      return { status: 200, body: { messageId: `sink-${id}` } };
    });

    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: testRedisUrl(),
      QUEUE_PREFIX: prefix,
      DATA_DIR: dataDir,
      NOTIFY_PROVIDER: "webhook",
      NOTIFY_WEBHOOK_URL: sink.url,
      NOTIFY_WEBHOOK_SECRET: "chaos-test-secret-0123456789",
      NOTIFY_WEBHOOK_TIMEOUT_MS: "3000",
      NOTIFY_CONCURRENCY: String(CONCURRENCY),
      NOTIFY_STALE_CLAIM_SECONDS: "3",
      NOTIFY_QUEUED_REPAIR_SECONDS: "3",
      WORKER_STALLED_CHECK_MS: "2000",
      WORKER_SHUTDOWN_GRACE_MS: "3000",
    };
    const workers: WorkerProcess[] = [];
    for (let i = 0; i < WORKERS; i++) workers.push(await spawnWorker(env));
    await Promise.all(workers.map((w) => w.waitForEvent("workers.started")));

    const started = Date.now();
    // The outbox fills in a stream while the killing goes on.
    const writing = (async () => {
      for (let i = 0; i < 20; i++) {
        await insertOutbox(database.db, TOTAL / 20);
        await new Promise((r) => setTimeout(r, 250));
      }
    })();

    let kills = 0;
    let inFlightAtKills = 0;
    const inFlight = async () => {
      const [row] = await database.db.execute<{ n: number }>(sql`select count(*)::int as n from notifications where status = 'sending'`);
      return row!.n;
    };
    const settled = async () => {
      const counts = await statusCounts(database.db);
      return !counts.pending && !counts.queued && !counts.sending;
    };
    try {
      // Every KILL_EVERY_MS, SIGKILL a worker that is up and replace it (the replacement must be up
      // before the next kill, so two are always working), until the outbox is drained or
      // MAX_KILLS is reached; then the survivors drain what is left.
      while (kills < MAX_KILLS && !(kills >= 4 && (await settled()))) {
        await new Promise((r) => setTimeout(r, KILL_EVERY_MS));
        if (Date.now() - started > 150_000) break;
        const victim = workers.splice(Math.floor(Math.random() * workers.length), 1)[0]!;
        inFlightAtKills += await inFlight();
        if (process.env.CHAOS_VERBOSE) console.log(`kill ${kills + 1} at ${Date.now() - started} ms`, await statusCounts(database.db));
        victim.child.kill("SIGKILL");
        await victim.exited;
        kills += 1;
        const replacement = await spawnWorker(env);
        workers.push(replacement);
        await replacement.waitForEvent("workers.started", 60_000);
      }
      await writing;
      // Let the last replacement catch up, the stalled jobs be retaken and the claim sweep run.
      await expect.poll(settled, { timeout: 120_000, interval: 500, message: "the outbox to drain" }).toBe(true);
    } finally {
      for (const w of workers) w.child.kill("SIGTERM");
      await Promise.all(workers.map((w) => w.exited));
      await sink.close();
    }
    const drainSeconds = (Date.now() - started) / 1000;

    const rows = await database.db.execute<{ id: string; status: NotificationStatus; attempts: number; sent_at: Date | null }>(
      sql`select id, status, attempts, sent_at from notifications`,
    );
    const counts = await statusCounts(database.db);
    const all = [...records.values()];
    const report = {
      notifications: TOTAL,
      kills,
      drainSeconds,
      statuses: counts,
      sinkRequests: all.reduce((n, r) => n + r.requests, 0),
      deliveries,
      hung: all.filter((r) => r.hung).length,
      abortedByKill: all.filter((r) => r.abortedByClient).length,
      sendingAtKills: inFlightAtKills,
    };
    console.log(`chaos report: ${JSON.stringify(report)}`);

    expect(rows).toHaveLength(TOTAL);
    expect(kills).toBeGreaterThanOrEqual(4);
    // Nothing left in flight; no provider ever refused, so nothing failed.
    expect(counts.pending ?? 0).toBe(0);
    expect(counts.queued ?? 0).toBe(0);
    expect(counts.sending ?? 0).toBe(0);
    expect(counts.failed ?? 0).toBe(0);
    expect((counts.sent ?? 0) + (counts.unknown ?? 0)).toBe(TOTAL);

    // At most once: one delivery per id (repeats carry the same Idempotency-Key and are
    // answered without delivering).
    expect(deliveries).toBe(records.size);
    const violations: string[] = [];
    for (const row of rows) {
      const record = records.get(row.id);
      // Every request was preceded by its own claim: a request never repeats without the
      // worker having recorded the previous attempt as failed (timeout, no answer).
      if (record && record.requests > row.attempts) violations.push(`${row.id}: ${record.requests} requests, ${row.attempts} claims`);
      // Nothing is posted again once the row says sent.
      if (record && row.sent_at && record.receivedAt.some((t) => t > new Date(row.sent_at!).getTime())) violations.push(`${row.id}: request after sent`);
      // Every sent row was delivered; a send cut off by a kill is left unknown, never resent.
      if (row.status === "sent" && !record?.accepted) violations.push(`${row.id}: sent but never delivered`);
      if (record?.abortedByClient && row.status !== "unknown") violations.push(`${row.id}: cut off but ${row.status}`);
    }
    expect(violations).toEqual([]);
    // Unknown = claims a kill interrupted: at least the sends the sink saw cut off, at most what
    // was in flight when the kills happened (plus claims taken between the count and the kill).
    expect(counts.unknown ?? 0).toBeGreaterThanOrEqual(report.abortedByKill);
    expect(counts.unknown ?? 0).toBeLessThanOrEqual(kills * CONCURRENCY * 2);
  });
});
