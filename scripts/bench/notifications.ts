// Notification throughput, SPEC §7: one worker process (this one), the real delivery processor
// (claim → render → provider → mark sent) with a fake instant provider, beside a bare no-op
// BullMQ drain of the same number of jobs on the same Redis, measured in the same run: three
// alternating rounds, medians reported.
import { randomBytes } from "node:crypto";
import { Queue, Worker } from "bullmq";
import { sql } from "drizzle-orm";
import { connectDatabase } from "../../db/client";
import { openQueue } from "../../jobs/queues";
import { createRedis } from "../../lib/redis/connection";
import { deliverSms } from "../../jobs/definitions/notifications";
import { deliverSmsProcessor } from "../../jobs/processors/notifications";
import { startWorkers } from "../../jobs/start-workers";
import { env } from "../../lib/env.js";
import { sealNotificationCode } from "../../lib/notifications/code-secret";
import type { NotificationProvider } from "../../lib/notifications/providers/types";
import type { BenchRow } from "./types";

export interface BenchNotificationsOptions {
  databaseUrl: string;
  redisUrl: string;
  /** Notifications to send per round (default 20,000). */
  count?: number;
  /** Alternating rounds (no-op drain, then delivery); the medians are reported (default 3). */
  rounds?: number;
  /** Worker concurrency for both runs (default NOTIFY_CONCURRENCY, 200). */
  concurrency?: number;
  /** False at the smaller sizes of a growth run: delivery does not depend on the queue's size. */
  final?: boolean;
  log?: (line: string) => void;
}

const instantProvider: NotificationProvider = {
  name: "instant",
  send: async (message) => ({ providerMessageId: `bench-${message.id}` }),
};

async function addJobs(queue: Queue, ids: string[], name: string, withIds: boolean): Promise<void> {
  // 1,000 per addBulk, 4 in flight (PERF.md: ≈ 27k jobs/s).
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += 1000) chunks.push(ids.slice(i, i + 1000));
  for (let i = 0; i < chunks.length; i += 4) {
    await Promise.all(
      chunks.slice(i, i + 4).map((chunk) =>
        queue.addBulk(chunk.map((id) => ({ name, data: { notificationId: id }, opts: withIds ? { jobId: id, removeOnComplete: { count: 1000 } } : { removeOnComplete: { count: 1000 } } }))),
      ),
    );
  }
}

function completions(worker: Worker, count: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let done = 0;
    worker.on("completed", () => {
      done += 1;
      if (done === count) resolve(performance.now());
    });
    worker.on("failed", (_job, error) => reject(error));
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function benchNotifications(options: BenchNotificationsOptions): Promise<BenchRow[]> {
  if (options.final === false) return [];
  const count = options.count ?? 20_000;
  const rounds = options.rounds ?? 3;
  const concurrency = options.concurrency ?? env.NOTIFY_CONCURRENCY;
  const log = options.log ?? ((line: string) => console.log(line));
  const prefix = `gh-bench-${randomBytes(4).toString("hex")}`;
  const database = connectDatabase(options.databaseUrl, { max: 10 });
  const producerConnection = createRedis("producer", { target: { url: options.redisUrl } });
  const workerConnection = createRedis("worker", { target: { url: options.redisUrl } });
  // The bare baseline is plain BullMQ, hash-tagged the way Gatehouse tags its own queues.
  const noopQueue = new Queue("{bench-noop}", { connection: producerConnection, prefix });
  const deliveryQueue = openQueue(deliverSms.queue, producerConnection, prefix);
  const deleteBenchRows = () => database.db.execute(sql`delete from notifications where params->>'bench' = ${prefix}`);

  // Bare baseline: no-op jobs drained by one Worker at the same concurrency.
  const drainNoop = async (): Promise<number> => {
    await addJobs(noopQueue, Array.from({ length: count }, (_, i) => String(i)), "noop", false);
    const start = performance.now();
    const worker = new Worker("{bench-noop}", async () => {}, { connection: workerConnection, prefix, concurrency });
    const end = await completions(worker, count);
    await worker.close();
    await noopQueue.obliterate({ force: true });
    return count / ((end - start) / 1000);
  };

  // The real thing: queued outbox rows, their jobs (id = notification id), one worker.
  const deliver = async (): Promise<number> => {
    // Codes are stored sealed, as the outbox writes them: each send opens one.
    const sealed = sealNotificationCode("123456");
    const ids = (
      await database.db.execute<{ id: string }>(sql`
        insert into notifications (kind, channel, status, recipient, locale, params, secret, queued_at)
        select 'verification_code', 'sms', 'queued', '+336' || lpad(g::text, 8, '0'), 'en',
               jsonb_build_object('expiresAt', (now() + interval '30 minutes')::text, 'bench', ${prefix}::text), ${sealed}, now()
        from generate_series(1, ${count}) g
        returning id`)
    ).map((r) => r.id);
    await database.db.execute(sql`analyze notifications`);
    await addJobs(deliveryQueue, ids, deliverSms.queue, true);
    const start = performance.now();
    const handle = await startWorkers({
      db: database.db,
      redis: { url: options.redisUrl },
      prefix,
      processors: [deliverSmsProcessor],
      providers: { sms: instantProvider, email: instantProvider },
      settings: { notificationConcurrency: concurrency, smsRatePerSecond: null },
      relay: false,
      schedules: false,
      log: () => {},
    });
    try {
      await completions(handle.workers[0]!, count);
      // Done when every row is marked sent (marks are committed just behind the jobs).
      const sentCount = async () =>
        (await database.db.execute<{ sent: number }>(sql`select count(*)::int as sent from notifications where id = any(${sql.param(ids)}::uuid[]) and status = 'sent'`))[0]!.sent;
      for (let waited = 0; (await sentCount()) !== count; waited += 5) {
        if (waited > 30_000) throw new Error("bench: rows were not all marked sent");
        await new Promise((r) => setTimeout(r, 5));
      }
      return count / ((performance.now() - start) / 1000);
    } finally {
      await handle.close();
      await deliveryQueue.obliterate({ force: true });
      await deleteBenchRows();
    }
  };

  try {
    // Alternating rounds, medians reported: the machines are shared and a single run is noisy.
    const noopRates: number[] = [];
    const sendRates: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      noopRates.push(await drainNoop());
      sendRates.push(await deliver());
      log(`round ${round}/${rounds}: bare no-op drain ${Math.round(noopRates.at(-1)!)} jobs/s · notifications sent end-to-end ${Math.round(sendRates.at(-1)!)}/s`);
    }
    const noopRate = median(noopRates);
    const sendRate = median(sendRates);
    log(`notifications: median ${Math.round(sendRate)} sent/s = ${(sendRate / noopRate).toFixed(2)} × the bare drain (median ${Math.round(noopRate)} jobs/s); ${count} per round, concurrency ${concurrency}`);

    return [
      { name: "notifications sent/s (1 worker, instant provider)", value: Math.round(sendRate), unit: "msg/s", target: 5000, baseline: Math.round(noopRate) },
      { name: "bare BullMQ no-op drain (same Redis, same run)", value: Math.round(noopRate), unit: "jobs/s", target: null, baseline: null },
    ];
  } finally {
    await deleteBenchRows().catch(() => {});
    await noopQueue.obliterate({ force: true }).catch(() => {});
    await deliveryQueue.obliterate({ force: true }).catch(() => {});
    await Promise.all([noopQueue.close(), deliveryQueue.close()]).catch(() => {});
    workerConnection.disconnect();
    producerConnection.disconnect();
    await database.close();
  }
}

// `tsx scripts/bench/notifications.ts` runs it alone against DATABASE_URL and REDIS_URL.
if (import.meta.url === `file://${process.argv[1]}`) {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is required");
  const rows = await benchNotifications({ databaseUrl, redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379", count: Number(process.env.BENCH_COUNT ?? 20_000), concurrency: process.env.BENCH_CONCURRENCY ? Number(process.env.BENCH_CONCURRENCY) : undefined });
  console.table(rows);
  process.exit(0);
}
