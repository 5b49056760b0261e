// Notification throughput, SPEC §7: one worker process (this one), the real delivery processor
// (claim → render → provider → mark sent) with a fake instant provider, beside a bare no-op
// BullMQ drain of the same number of jobs on the same Redis, measured in the same run: three
// alternating rounds, medians reported. Each round also counts the CPU it cost per message — this
// process (the worker), the local redis-server and the database's PostgreSQL backends — since on
// a machine of few cores the three share them, and the ratio is theirs as much as the code's.
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
import { databaseBackendsCpuSeconds, redisServerCpuSeconds } from "../lib/process-cpu";
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

/** CPU microseconds per message of one round: this process, Redis (null when not local), PostgreSQL. */
interface RoundCost {
  worker: number;
  redis: number | null;
  postgres: number;
}

/** Starts counting CPU; the returned function stops and divides by the messages handled. */
function countCpu(redisPort: number, databaseName: string): (messages: number) => RoundCost {
  const worker = process.cpuUsage();
  const redis = redisServerCpuSeconds(redisPort);
  const postgres = databaseBackendsCpuSeconds(databaseName);
  return (messages) => {
    const used = process.cpuUsage(worker);
    const redisNow = redisServerCpuSeconds(redisPort);
    return {
      worker: (used.user + used.system) / messages,
      redis: redis === null || redisNow === null ? null : ((redisNow - redis) * 1e6) / messages,
      postgres: ((databaseBackendsCpuSeconds(databaseName) - postgres) * 1e6) / messages,
    };
  };
}

const medianCost = (costs: RoundCost[]): RoundCost => ({
  worker: median(costs.map((c) => c.worker)),
  redis: costs.some((c) => c.redis === null) ? null : median(costs.map((c) => c.redis!)),
  postgres: median(costs.map((c) => c.postgres)),
});
const describeCost = (c: RoundCost) => `worker ${c.worker.toFixed(0)} µs, Redis ${c.redis === null ? "?" : c.redis.toFixed(0)} µs, PostgreSQL ${c.postgres.toFixed(0)} µs`;

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
  const redisPort = Number(new URL(options.redisUrl).port || 6379);
  const databaseName = new URL(options.databaseUrl).pathname.slice(1);
  const deleteBenchRows = () => database.db.execute(sql`delete from notifications where params->>'bench' = ${prefix}`);

  // Bare baseline: no-op jobs drained by one Worker at the same concurrency.
  const drainNoop = async (): Promise<{ rate: number; cost: RoundCost }> => {
    await addJobs(noopQueue, Array.from({ length: count }, (_, i) => String(i)), "noop", false);
    const start = performance.now();
    const cpu = countCpu(redisPort, databaseName);
    const worker = new Worker("{bench-noop}", async () => {}, { connection: workerConnection, prefix, concurrency });
    const end = await completions(worker, count);
    const cost = cpu(count);
    await worker.close();
    await noopQueue.obliterate({ force: true });
    return { rate: count / ((end - start) / 1000), cost };
  };

  // The real thing: queued outbox rows, their jobs (id = notification id), one worker.
  const deliver = async (): Promise<{ rate: number; cost: RoundCost }> => {
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
    const cpu = countCpu(redisPort, databaseName);
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
      // Done when every "sent" mark is committed (they are written just behind the jobs): the
      // worker's own drain, as at shutdown, waits for them.
      await deliverSmsProcessor.drain();
      const end = performance.now();
      const cost = cpu(count);
      const [counted] = await database.db.execute<{ sent: number }>(
        sql`select count(*)::int as sent from notifications where id = any(${sql.param(ids)}::uuid[]) and status = 'sent'`,
      );
      const sent = counted?.sent ?? 0;
      if (sent !== count) throw new Error(`bench: ${count - sent} of ${count} rows were not marked sent`);
      return { rate: count / ((end - start) / 1000), cost };
    } finally {
      await handle.close();
      await deliveryQueue.obliterate({ force: true });
      await deleteBenchRows();
    }
  };

  try {
    // Alternating rounds, medians reported: the machines are shared and a single run is noisy.
    const noopRounds: { rate: number; cost: RoundCost }[] = [];
    const sendRounds: { rate: number; cost: RoundCost }[] = [];
    for (let round = 1; round <= rounds; round++) {
      noopRounds.push(await drainNoop());
      sendRounds.push(await deliver());
      log(
        `round ${round}/${rounds}: bare no-op drain ${Math.round(noopRounds.at(-1)!.rate)} jobs/s (${describeCost(noopRounds.at(-1)!.cost)} a job) · ` +
          `notifications sent end-to-end ${Math.round(sendRounds.at(-1)!.rate)}/s (${describeCost(sendRounds.at(-1)!.cost)} a message)`,
      );
    }
    const noopRate = median(noopRounds.map((r) => r.rate));
    const sendRate = median(sendRounds.map((r) => r.rate));
    const noopCost = medianCost(noopRounds.map((r) => r.cost));
    const sendCost = medianCost(sendRounds.map((r) => r.cost));
    log(`notifications: median ${Math.round(sendRate)} sent/s = ${(sendRate / noopRate).toFixed(2)} × the bare drain (median ${Math.round(noopRate)} jobs/s); ${count} per round, concurrency ${concurrency}`);
    log(`notifications: CPU a message ${describeCost(sendCost)}; a bare job ${describeCost(noopCost)}`);
    const total = (c: RoundCost) => c.worker + (c.redis ?? 0) + c.postgres;

    return [
      { name: "notifications sent/s (1 worker, instant provider)", value: Math.round(sendRate), unit: "msg/s", target: 5000, baseline: Math.round(noopRate) },
      { name: "bare BullMQ no-op drain (same Redis, same run)", value: Math.round(noopRate), unit: "jobs/s", target: null, baseline: null },
      // SPEC: sent/s ≥ 0.7 × the drain's jobs/s, i.e. a message takes at most 1/0.7 of a bare job's time.
      { name: "time a message takes / a bare job's (≥ 0.7× the drain)", value: noopRate / sendRate, unit: "×", target: 1 / 0.7, baseline: 1 },
      { name: "CPU a message sent: worker + Redis + PostgreSQL", value: total(sendCost), unit: "µs", target: null, baseline: total(noopCost) },
      { name: "CPU a message sent: PostgreSQL (claim and mark)", value: sendCost.postgres, unit: "µs", target: null, baseline: null },
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
