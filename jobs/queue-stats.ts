import { getDb } from "@/db/client";
import { getQueueStats, type QueueStats } from "@/lib/notifications/queue-stats";
import { allQueueNames } from "./definitions";
import { getProducer } from "./producer";

/** Queue statistics for the console, over this process's database and fail-fast Redis connection. */
export function getConsoleQueueStats(options: { minutes?: number } = {}): Promise<QueueStats> {
  const producer = getProducer();
  return getQueueStats({ db: getDb(), redis: producer.connection, prefix: producer.prefix, queueNames: allQueueNames, minutes: options.minutes });
}
