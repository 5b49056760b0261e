// The notifications bench's baselines, each a BullMQ Worker in a process of its own: nothing of
// Gatehouse's job runner runs here (no per-job log context, so no promise hooks in this process),
// so the bare drain is bare, and the floor is the SPEC's design with nothing else around it.
// - "noop": the bare drain, a no-op processor;
// - "writes": the floor of a delivery that never sends twice: each job claims its row and marks
//   it sent, batched exactly as the delivery pipeline batches them — no decrypting, rendering or
//   provider call. A round ends when every mark is committed, as the delivery's does.
// Driven by the parent over IPC: it sends a DrainRequest, the child drains that many jobs and
// answers a DrainResult with its own CPU time; the parent reads Redis's and PostgreSQL's.
import { Worker } from "bullmq";
import { connectDatabase } from "../../db/client";
import { createRedis } from "../../lib/redis/connection";
import { createClaimBatcher, createSentMarkBatcher } from "../../lib/notifications/delivery";

export interface DrainRequest {
  mode: "noop" | "writes";
  /** The queue's full name (hash tag included) and key prefix. */
  queue: string;
  prefix: string;
  count: number;
  concurrency: number;
}

export interface DrainResult {
  elapsedMs: number;
  /** This process's CPU time (user + system) during the drain. */
  cpuMicros: number;
}

const redisUrl = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const databaseUrl = process.env.BENCH_DATABASE_URL;
const connection = createRedis("worker", { target: { url: redisUrl } });
const database = databaseUrl ? connectDatabase(databaseUrl, { max: 10 }) : null;

async function drain(request: DrainRequest): Promise<DrainResult> {
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
  await new Promise<void>((resolve, reject) => {
    let done = 0;
    worker.on("completed", () => {
      done += 1;
      if (done === request.count) resolve();
    });
    worker.on("failed", (_job, error) => reject(error));
  });
  while (marks.size > 0) await Promise.all([...marks]);
  const elapsedMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  await worker.close();
  return { elapsedMs, cpuMicros: used.user + used.system };
}

process.on("message", (request: DrainRequest) => {
  drain(request).then(
    (result) => process.send!({ ok: true, result }),
    (error: unknown) => process.send!({ ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
});
process.on("disconnect", () => {
  connection.disconnect();
  void database?.close().finally(() => process.exit(0));
  if (!database) process.exit(0);
});
