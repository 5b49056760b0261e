// Per-minute throughput of each queue (the console's chart), counted by the workers themselves.
// BullMQ can collect it (the worker option `metrics`), but does so inside every job's completion
// script: measured at ≈ 45 µs of CPU a job between the worker process and Redis — a third of what
// a bare no-op job costs. Counted in memory instead and added to Redis once a second: a couple of
// writes per queue and minute, whatever the number of jobs.
import type { RedisClient } from "@/lib/redis/connection";
import { taggedQueueName } from "@/lib/redis/keys";

const FLUSH_MS = 1000;
/** A day and an hour: the chart shows at most a day. */
const RETENTION_SECONDS = 25 * 3600;

export type JobOutcome = "completed" | "failed";

export const minuteOf = (ms: number) => Math.floor(ms / 60_000);

/** One queue's counts for one minute: a hash {completed, failed} in the queue's own slot. */
export function throughputKey(prefix: string, queue: string, minute: number): string {
  return `${prefix}:${taggedQueueName(queue)}:throughput:${minute}`;
}

export interface ThroughputCounter {
  count(queue: string, outcome: JobOutcome): void;
  /** Adds what was counted so far to Redis (kept for the next try if Redis is down). */
  flush(): Promise<void>;
  /** Stops the timer and flushes once more. */
  close(): Promise<void>;
}

export function startThroughputCounter(redis: RedisClient, prefix: string): ThroughputCounter {
  type Tally = Record<JobOutcome, number> & { queue: string; minute: number };
  let tallies = new Map<string, Tally>();

  const add = (into: Map<string, Tally>, queue: string, minute: number, completed: number, failed: number) => {
    const key = `${queue}\u0000${minute}`;
    const tally = into.get(key) ?? { queue, minute, completed: 0, failed: 0 };
    tally.completed += completed;
    tally.failed += failed;
    into.set(key, tally);
  };

  const flush = async () => {
    if (tallies.size === 0) return;
    const batch = tallies;
    tallies = new Map();
    try {
      // Separate commands, not one MULTI: on a cluster the queues' keys live on different nodes.
      await Promise.all(
        [...batch.values()].flatMap(({ queue, minute, completed, failed }) => {
          const key = throughputKey(prefix, queue, minute);
          return [
            ...(completed > 0 ? [redis.hincrby(key, "completed", completed)] : []),
            ...(failed > 0 ? [redis.hincrby(key, "failed", failed)] : []),
            redis.expire(key, RETENTION_SECONDS),
          ];
        }),
      );
    } catch {
      // Redis unreachable: keep the counts for the next flush. (A partly applied flush may count
      // some jobs twice — a chart, not a ledger.)
      for (const t of batch.values()) add(tallies, t.queue, t.minute, t.completed, t.failed);
    }
  };

  const timer = setInterval(() => void flush(), FLUSH_MS);
  timer.unref();
  return {
    count(queue, outcome) {
      add(tallies, queue, minuteOf(Date.now()), outcome === "completed" ? 1 : 0, outcome === "failed" ? 1 : 0);
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}

/** Jobs completed and failed per minute, oldest first, `minutes` long, ending with the current minute. */
export async function readThroughput(
  redis: RedisClient,
  prefix: string,
  queue: string,
  minutes: number,
  now = Date.now(),
): Promise<Record<JobOutcome, number[]>> {
  const last = minuteOf(now);
  const rows = await Promise.all(
    Array.from({ length: minutes }, (_, i) => redis.hmget(throughputKey(prefix, queue, last - minutes + 1 + i), "completed", "failed")),
  );
  return { completed: rows.map(([c]) => Number(c ?? 0)), failed: rows.map(([, f]) => Number(f ?? 0)) };
}
