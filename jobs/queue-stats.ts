// Operations data for the console's "Notifications & queues" page: job counts per queue and
// state, per-minute throughput (counted by the workers: jobs/throughput.ts) and worker heartbeats,
// beside the notification counts from the database (lib/notifications/count-notifications.ts).
// Redis being down is a state to show, not an error: the database half is still answered.
import type { Queue } from "bullmq";
import { getDb, type Database } from "@/db/client";
import { countNotificationsByStatus, type NotificationCounts } from "@/lib/notifications/count-notifications";
import type { RedisClient } from "@/lib/redis/connection";
import { allQueueNames } from "./definitions";
import { HEARTBEAT_STALE_MS, heartbeatKey, type Heartbeat } from "./heartbeat";
import { getProducer } from "./producer";
import { openQueue } from "./queues";
import { readThroughput } from "./throughput";

export const JOB_STATES = ["waiting", "prioritized", "active", "delayed", "completed", "failed"] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface QueueStat {
  name: string;
  counts: Record<JobState, number>;
  /** Jobs finished per minute, oldest first, over the requested window. */
  completedPerMinute: number[];
  failedPerMinute: number[];
}

export interface QueueStats {
  generatedAt: string;
  redis: "up" | "down";
  queues: QueueStat[];
  notifications: NotificationCounts;
  workers: (Heartbeat & { alive: boolean })[];
}

const queueCache = new WeakMap<RedisClient, Map<string, Queue>>();

function queueFor(redis: RedisClient, prefix: string, name: string): Queue {
  let byName = queueCache.get(redis);
  if (!byName) queueCache.set(redis, (byName = new Map()));
  const key = `${prefix}\u0000${name}`;
  let queue = byName.get(key);
  if (!queue) {
    queue = openQueue(name, redis, prefix);
    byName.set(key, queue);
  }
  return queue;
}

/** Jobs per state of each queue. */
async function jobCounts(queue: Queue): Promise<Record<JobState, number>> {
  const counts = await queue.getJobCounts(...JOB_STATES);
  return Object.fromEntries(JOB_STATES.map((s) => [s, counts[s] ?? 0])) as Record<JobState, number>;
}

async function redisStats(redis: RedisClient, prefix: string, queueNames: readonly string[], minutes: number) {
  const queues = await Promise.all(
    queueNames.map(async (name): Promise<QueueStat> => {
      const queue = queueFor(redis, prefix, name);
      const [counts, throughput] = await Promise.all([jobCounts(queue), readThroughput(redis, prefix, name, minutes)]);
      return { name, counts, completedPerMinute: throughput.completed, failedPerMinute: throughput.failed };
    }),
  );
  const now = Date.now();
  const beats = Object.entries(await redis.hgetall(heartbeatKey(prefix)));
  const workers = beats.map(([, value]) => {
    const beat = JSON.parse(value) as Heartbeat;
    return { ...beat, alive: now - Date.parse(beat.lastSeenAt) < HEARTBEAT_STALE_MS };
  });
  // Forget workers silent for a day (killed processes never say goodbye).
  const forgotten = workers.filter((w) => now - Date.parse(w.lastSeenAt) > 86_400_000).map((w) => w.workerId);
  if (forgotten.length > 0) await redis.hdel(heartbeatKey(prefix), ...forgotten);
  return { queues, workers: workers.filter((w) => !forgotten.includes(w.workerId)).sort((a, b) => a.workerId.localeCompare(b.workerId)) };
}

export async function getQueueStats(options: {
  db: Database;
  redis: RedisClient;
  prefix: string;
  queueNames: readonly string[];
  /** Throughput window (default 15 minutes). */
  minutes?: number;
}): Promise<QueueStats> {
  const minutes = options.minutes ?? 15;
  const notifications = await countNotificationsByStatus(options.db);

  let redis: QueueStats["redis"] = "up";
  let queues: QueueStat[] = [];
  let workers: QueueStats["workers"] = [];
  try {
    ({ queues, workers } = await redisStats(options.redis, options.prefix, options.queueNames, minutes));
  } catch {
    redis = "down";
  }
  return {
    generatedAt: new Date().toISOString(),
    redis,
    queues,
    notifications,
    workers,
  };
}

/** Queue statistics for the console, over this process's database and fail-fast Redis connection. */
export function getConsoleQueueStats(options: { minutes?: number } = {}): Promise<QueueStats> {
  const producer = getProducer();
  return getQueueStats({ db: getDb(), redis: producer.connection, prefix: producer.prefix, queueNames: allQueueNames, minutes: options.minutes });
}

/** Jobs per queue and state, over this process's producer connection (the metrics endpoint); null while Redis is down. */
export async function getQueueDepths(): Promise<{ queue: string; counts: Record<JobState, number> }[] | null> {
  const producer = getProducer();
  try {
    await producer.assertConnected();
    return await Promise.all(allQueueNames.map(async (queue) => ({ queue, counts: await jobCounts(queueFor(producer.connection, producer.prefix, queue)) })));
  } catch {
    return null;
  }
}
