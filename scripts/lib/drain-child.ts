// The notifications bench's worker process: each round drains one queue here, in a process of its
// own, as a worker process of `npm start` would — not in the bench's, which holds everything else
// the bench does. Three kinds of round:
// - "noop": the bare drain, a plain BullMQ Worker with a no-op processor;
// - "writes": the floor of a delivery that never sends twice, a plain BullMQ Worker whose jobs
//   claim their row and mark it sent, batched exactly as the delivery pipeline batches them — no
//   decrypting, rendering or provider call;
// - "deliver": the real thing, Gatehouse's job runner (startWorkers) with the delivery processor
//   and an instant provider.
// The two delivering kinds end when every "sent" mark is committed. Driven by the parent over IPC:
// it sends a DrainRequest, the child drains that many jobs and answers a DrainResult with its own
// CPU time; the parent reads Redis's and PostgreSQL's.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { Worker } from "bullmq";
import { connectDatabase } from "../../db/client";
import { deliverSmsProcessor } from "../../jobs/processors/notifications";
import { startWorkers } from "../../jobs/start-workers";
import { createClaimBatcher, createSentMarkBatcher } from "../../lib/notifications/delivery";
import type { NotificationProvider } from "../../lib/notifications/providers/types";
import { createRedis } from "../../lib/redis/connection";
import { databaseBackendPids, pinProcess } from "./process-cpu";

export interface DrainRequest {
  mode: "noop" | "writes" | "deliver";
  /** The queue's full name (hash tag included) and key prefix. */
  queue: string;
  prefix: string;
  count: number;
  concurrency: number;
  /** An unmeasured round before the others: not profiled. */
  warmUp: boolean;
}

export interface DrainResult {
  elapsedMs: number;
  /** This process's CPU time (user + system) during the drain. */
  cpuMicros: number;
}

const redisUrl = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const databaseUrl = process.env.BENCH_DATABASE_URL;
const connection = createRedis("worker", { target: { url: redisUrl } });
const POOL_SIZE = 10;
const database = databaseUrl ? connectDatabase(databaseUrl, { max: POOL_SIZE }) : null;

/**
 * With BENCH_DATABASE_CPU, PostgreSQL gets a core of its own for this process's work: every
 * connection of the pool is opened now (as many queries at once as it has connections) and its
 * backend pinned to that core. The parent pins this process and its Redis to the other.
 */
async function pinDatabaseBackends(cpu: number): Promise<void> {
  if (!database) throw new Error("drain-child: BENCH_DATABASE_CPU needs BENCH_DATABASE_URL");
  const answers = await Promise.all(
    Array.from({ length: POOL_SIZE }, () => database.sql<{ pid: number }[]>`select pg_backend_pid() as pid, pg_sleep(0.05)`),
  );
  const pids = new Set(answers.map(([row]) => row!.pid));
  if (pids.size !== POOL_SIZE) throw new Error(`drain-child: opened ${pids.size} connections, not ${POOL_SIZE}`);
  // A server on another machine answers with its own pids: never pin whatever has them here.
  const local = databaseBackendPids(new URL(databaseUrl!).pathname.slice(1));
  if (![...pids].every((pid) => local.has(pid))) throw new Error("the database's backends are not processes of this machine");
  try {
    for (const pid of pids) pinProcess(pid, cpu);
  } catch {
    throw new Error(`cannot pin the database's backends to core ${cpu} (taskset needs root or the database server's user)`);
  }
}
const databaseCpu = process.env.BENCH_DATABASE_CPU;
const placed = databaseCpu === undefined ? Promise.resolve() : pinDatabaseBackends(Number(databaseCpu));
// Reported by the first drain, which awaits it.
placed.catch(() => {});

/** Resolves once `count` jobs of `worker` have completed; rejects on the first failure. */
function completions(worker: Worker, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = 0;
    worker.on("completed", () => {
      done += 1;
      if (done === count) resolve();
    });
    worker.on("failed", (_job, error) => reject(error));
  });
}

const instantProvider: NotificationProvider = {
  name: "instant",
  send: async (message) => ({ providerMessageId: `bench-${message.id}` }),
};

async function deliver(request: DrainRequest): Promise<DrainResult> {
  if (!database) throw new Error("drain-child: the deliver mode needs BENCH_DATABASE_URL");
  const cpu = process.cpuUsage();
  const start = performance.now();
  const handle = await startWorkers({
    db: database.db,
    redis: { url: redisUrl },
    prefix: request.prefix,
    processors: [deliverSmsProcessor],
    providers: { sms: instantProvider, email: instantProvider },
    settings: { notificationConcurrency: request.concurrency, smsRatePerSecond: null },
    relay: false,
    schedules: false,
    log: () => {},
  });
  try {
    await completions(handle.workers[0]!, request.count);
    // The worker's own drain, as at shutdown, waits for the marks written behind the jobs.
    await deliverSmsProcessor.drain();
    const elapsedMs = performance.now() - start;
    const used = process.cpuUsage(cpu);
    return { elapsedMs, cpuMicros: used.user + used.system };
  } finally {
    await handle.close();
  }
}

async function drain(request: DrainRequest): Promise<DrainResult> {
  await placed;
  if (request.mode === "deliver") return deliver(request);
  let processor: (job: { data: { notificationId: string } }) => Promise<void> = async () => {};
  const marks = new Set<Promise<void>>();
  if (request.mode === "writes") {
    if (!database) throw new Error("drain-child: the writes mode needs BENCH_DATABASE_URL");
    const claim = createClaimBatcher(database.db);
    const markSent = createSentMarkBatcher(database.db);
    processor = async (job) => {
      const row = await claim(job.data.notificationId);
      if (!row) throw new Error(`drain-child: ${job.data.notificationId} was not claimable`);
      // Behind the job, as the pipeline writes it.
      const mark = markSent({ row, providerMessageId: `floor-${row.id}` }).finally(() => marks.delete(mark));
      marks.add(mark);
    };
  }
  const cpu = process.cpuUsage();
  const start = performance.now();
  const worker = new Worker(request.queue, processor, { connection, prefix: request.prefix, concurrency: request.concurrency });
  await completions(worker, request.count);
  while (marks.size > 0) await Promise.all([...marks]);
  const elapsedMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  await worker.close();
  return { elapsedMs, cpuMicros: used.user + used.system };
}

let roundNumber = 0;
/**
 * With BENCH_PROFILE=<dir>, each round's CPU profile goes to <dir>/<placement>-<n>-<mode>.cpuprofile
 * (DevTools opens it); the placement keeps the two drain processes of one bench apart.
 */
async function profiled(request: DrainRequest): Promise<DrainResult> {
  const dir = process.env.BENCH_PROFILE;
  if (!dir || request.warmUp) return drain(request);
  // In-process, around the round alone: the start-up and the seeding stay out of the profile.
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  try {
    return await drain(request);
  } finally {
    const { profile } = await session.post("Profiler.stop");
    const placement = databaseCpu === undefined ? "shared" : "own-core";
    writeFileSync(`${dir}/${placement}-${++roundNumber}-${request.mode}.cpuprofile`, JSON.stringify(profile));
    session.disconnect();
  }
}
process.on("message", (request: DrainRequest) => {
  profiled(request).then(
    (result) => process.send!({ ok: true, result }),
    (error: unknown) => process.send!({ ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
});
process.on("disconnect", () => {
  connection.disconnect();
  void database?.close().finally(() => process.exit(0));
  if (!database) process.exit(0);
});
