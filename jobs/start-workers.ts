// Runs every registered processor, the schedulers and the outbox relay in this process.
// `jobs/worker.ts` wraps it as the worker process entry; tests and `npm start` may call it
// in-process. close() is the graceful shutdown: stop taking work, let in-flight jobs finish
// within the grace period, then close queues, workers and connections.
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { Job, Worker } from "bullmq";
import type { Database } from "@/db/client";
import { env } from "@/lib/env.js";
import { closeProviders, createProviders, type NotificationProviders } from "@/lib/notifications/providers";
import { createRedis, describeRedisTarget, redisTargetFromEnv, type RedisTarget } from "@/lib/redis/connection";
import { keyNamespace, untaggedQueueName } from "@/lib/redis/keys";
import { REQUEST_ID_FIELD } from "./definitions/define";
import { eventLogger } from "./event-log";
import { DEFAULT_RETRY_DELAYS_MS } from "@/lib/webhooks/record-webhook-outcomes";
import { startOutboxRelay, type OutboxRelay } from "./outbox-relay";
import type { JobContext, Logger, RegisteredProcessor, ScheduleRepeat, WorkerSettings } from "./processor";
import { JobProducer } from "./producer";
import { openWorker } from "./queues";
import { processors as registeredProcessors } from "./registry";
import { startHeartbeat } from "./heartbeat";
import { startThroughputCounter } from "./throughput";

export interface StartWorkersOptions {
  db: Database;
  /** Default: the configured Redis (REDIS_CLUSTER_NODES, else REDIS_URL). */
  redis?: RedisTarget;
  /** Key namespace; default QUEUE_PREFIX. */
  prefix?: string;
  /** Default: every processor in jobs/registry.ts. */
  processors?: RegisteredProcessor[];
  /** Default: chosen by env (NOTIFY_PROVIDER, SMTP_URL). */
  providers?: NotificationProviders;
  settings?: Partial<WorkerSettings>;
  /** Run the outbox relay loop (default true). */
  relay?: boolean | { idleMs?: number; chunkSize?: number; repairEveryMs?: number; maxBackoffMs?: number };
  /** Upsert the job schedulers of periodic processors (default true). */
  schedules?: boolean;
  /** How long close() waits for in-flight jobs before forcing (default WORKER_SHUTDOWN_GRACE_MS). */
  graceMs?: number;
  log?: Logger;
}

export interface WorkersHandle {
  readonly id: string;
  readonly producer: JobProducer;
  readonly workers: readonly Worker[];
  /** How long close() lets in-flight jobs run. */
  readonly graceMs: number;
  close(): Promise<void>;
}

/** The context of every log line a job writes: its queue and id, and the request that enqueued it (the producer and the relays put its id in the job's data). */
function jobLogContext(job: Job): { queue: string; jobId: string | undefined; requestId?: string } {
  const requestId = (job.data as Record<string, unknown> | undefined)?.[REQUEST_ID_FIELD];
  return { queue: untaggedQueueName(job.queueName), jobId: job.id, ...(typeof requestId === "string" ? { requestId } : {}) };
}

/**
 * The context a processor runs with. Explicit, not an AsyncLocalStorage context as in the web
 * tier: on Node 20 one AsyncLocalStorage.run turns on promise hooks for the whole process, for
 * good, and they cost every job's every promise — a notification's worker CPU went from 127 to
 * 158 µs with them (notifications bench). So a job's lines carry its context through ctx.log,
 * and a processor hands ctx.requestId to the lib calls that record it.
 */
function jobContext(job: Job, shared: Pick<JobContext, "db" | "producer" | "providers" | "settings">, log: Logger): JobContext {
  const context = jobLogContext(job);
  // Spelled out rather than spread: this runs for every job, and a spread copies through a slow path.
  return {
    db: shared.db,
    producer: shared.producer,
    providers: shared.providers,
    settings: shared.settings,
    job,
    requestId: context.requestId,
    log: (event, fields, level) => log(event, { ...context, ...fields }, level),
  };
}

/** Past the grace period, how long each closing step may take before it is abandoned. */
const CLEANUP_MS = 500;

/** Whether `work` settled (either way) within `ms`; it is not waited for beyond. */
async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const settled = await Promise.race([
    work.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, ms)))),
  ]);
  clearTimeout(timer);
  return settled;
}

/** Standard Webhooks receivers are asked to answer quickly; 15 s is generous. */
const WEBHOOK_TIMEOUT_MS = 15_000;

export function settingsFromEnv(): WorkerSettings {
  return {
    notificationConcurrency: env.NOTIFY_CONCURRENCY,
    smsRatePerSecond: env.NOTIFY_SMS_RATE_PER_SECOND ?? null,
    emailRatePerSecond: env.NOTIFY_EMAIL_RATE_PER_SECOND ?? null,
    staleClaimMs: env.NOTIFY_STALE_CLAIM_SECONDS * 1000,
    queuedRepairMs: env.NOTIFY_QUEUED_REPAIR_SECONDS * 1000,
    notificationBackoffMs: 2000,
    stalledCheckMs: env.WORKER_STALLED_CHECK_MS,
    batchChunkSize: env.BATCH_CHUNK_SIZE,
    webhookConcurrency: 20,
    webhookTimeoutMs: WEBHOOK_TIMEOUT_MS,
    webhookRetryDelaysMs: DEFAULT_RETRY_DELAYS_MS,
    webhookStaleClaimMs: WEBHOOK_TIMEOUT_MS + 60_000,
  };
}

const repeatOf = (repeat: ScheduleRepeat, settings: WorkerSettings) => (typeof repeat === "function" ? repeat(settings) : repeat);

export async function startWorkers(options: StartWorkersOptions): Promise<WorkersHandle> {
  const id = `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
  const log = options.log ?? eventLogger({ worker: id });
  const redis = options.redis ?? redisTargetFromEnv();
  const prefix = keyNamespace(options.prefix);
  const settings: WorkerSettings = { ...settingsFromEnv(), ...options.settings };
  const graceMs = options.graceMs ?? env.WORKER_SHUTDOWN_GRACE_MS;
  const list = options.processors ?? registeredProcessors;
  const ownProviders = !options.providers;
  const providers = options.providers ?? createProviders();

  const workerConnection = createRedis("worker", { target: redis });
  const producerConnection = createRedis("producer", { target: redis });
  const producer = new JobProducer(producerConnection, prefix);
  const throughput = startThroughputCounter(producerConnection, prefix);

  const shared = { db: options.db, producer, providers, settings };
  const workers = list.map((processor) => {
    const worker = openWorker(
      processor.definition.queue,
      (job) => processor.run(job.data, jobContext(job, shared, log)),
      workerConnection,
      prefix,
      {
        name: id,
        concurrency: processor.concurrency(settings),
        limiter: processor.limiter(settings),
        lockDuration: settings.stalledCheckMs,
        stalledInterval: settings.stalledCheckMs,
        // No BullMQ `metrics`: the throughput chart's counts come from jobs/throughput.ts.
      },
    );
    // While Redis is down every reconnect attempt errors: one line per queue per 10 s is enough.
    let lastErrorAt = 0;
    worker.on("error", (error) => {
      if (Date.now() - lastErrorAt < 10_000) return;
      lastErrorAt = Date.now();
      log("worker.error", { queue: processor.definition.queue, error: error.message }, "warn");
    });
    worker.on("completed", () => throughput.count(processor.definition.queue, "completed"));
    worker.on("failed", (job, error) => {
      if (job && (error.name === "UnrecoverableError" || job.attemptsMade >= (job.opts.attempts ?? 1))) {
        throughput.count(processor.definition.queue, "failed");
        log("job.failed", { ...jobLogContext(job), error: error.message }, "error");
      }
    });
    return worker;
  });
  log("workers.started", { queues: list.map((p) => p.definition.queue), prefix, redis: describeRedisTarget(redis) });

  // Schedulers are upserted (idempotent across processes) at start, retried in the background
  // while Redis is unreachable so start-up never blocks on it, and again after every reconnect:
  // a Redis that restarted without its data has lost them.
  let stopping = false;
  const scheduled = options.schedules === false ? [] : list.filter((p) => p.schedule);
  const upsertSchedulers = async () => {
    for (let attempt = 0; !stopping && scheduled.length > 0; attempt++) {
      try {
        for (const p of scheduled) {
          await producer
            .queue(p.definition)
            .upsertJobScheduler(p.definition.queue, repeatOf(p.schedule!.repeat, settings), {
              name: p.definition.queue,
              data: p.schedule!.payload,
              opts: p.definition.options,
            });
        }
        log("schedulers.upserted", { queues: scheduled.map((p) => p.definition.queue) });
        return;
      } catch (error) {
        if (attempt === 0) log("schedulers.retrying", { error: error instanceof Error ? error.message : String(error) }, "warn");
        await new Promise((r) => setTimeout(r, Math.min(500 * 2 ** attempt, 10_000)));
      }
    }
  };
  let schedulersReady = upsertSchedulers();
  let connectedOnce = producerConnection.status === "ready";
  const onProducerReady = () => {
    if (!connectedOnce) {
      connectedOnce = true;
      return;
    }
    log("redis.reconnected", {});
    schedulersReady = schedulersReady.then(upsertSchedulers);
  };
  producerConnection.on("ready", onProducerReady);

  let relay: OutboxRelay | null = null;
  if (options.relay !== false) {
    const relayOptions = typeof options.relay === "object" ? options.relay : {};
    relay = startOutboxRelay({
      db: options.db,
      producer,
      log,
      backoffDelayMs: settings.notificationBackoffMs,
      repairOlderThanMs: settings.queuedRepairMs,
      repairEveryMs: Math.min(60_000, settings.queuedRepairMs),
      ...relayOptions,
    });
    log("relay.started", {});
  }

  const heartbeat = startHeartbeat({ redis: producerConnection, prefix, workerId: id, queues: list.map((p) => p.definition.queue) });

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      stopping = true;
      producerConnection.off("ready", onProducerReady);
      log("workers.stopping", { graceMs });
      // The grace period counts from here, for every step: with Redis or PostgreSQL unreachable
      // any of them can wait forever (a relay query, a scheduler upsert, BullMQ's close).
      const deadline = Date.now() + graceMs;
      const untilDeadline = (work: Promise<unknown>) => settlesWithin(work, deadline - Date.now());
      await untilDeadline(Promise.all([relay?.stop(), schedulersReady]));
      // Graceful close waits for active jobs; past the grace period, force it (those jobs
      // stall and are picked up again, finding their rows already claimed).
      const timedOut = !(await untilDeadline(Promise.all(workers.map((w) => w.close()))));
      if (timedOut) {
        log("workers.grace_expired", { graceMs }, "warn");
        await settlesWithin(Promise.all(workers.map((w) => w.close(true).catch(() => {}))), CLEANUP_MS);
      }
      // The "sent" marks still in flight get what is left of the grace period (at least a moment).
      await settlesWithin(Promise.all(list.map((p) => p.drain())), Math.max(CLEANUP_MS, deadline - Date.now()));
      await settlesWithin(Promise.all([heartbeat.stop(), throughput.close(), producer.close()]), CLEANUP_MS);
      workerConnection.disconnect();
      producerConnection.disconnect();
      if (ownProviders) await settlesWithin(closeProviders(providers), CLEANUP_MS);
      log("workers.stopped", { forced: timedOut });
    })());

  return { id, producer, workers, graceMs, close };
}
