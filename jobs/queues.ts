// BullMQ Queues and Workers, opened by their logical name (a job definition's `queue`). Every
// queue gets its own Redis Cluster hash tag — keys `<ns>:{<queue>}:<suffix>` (lib/redis/keys.ts) —
// so BullMQ's multi-key scripts stay in one slot while the queues spread over the nodes. Open
// queues and workers only through here, or their keys will not match.
import { Queue, Worker, type Processor, type QueueOptions, type WorkerOptions } from "bullmq";
import type { RedisClient } from "@/lib/redis/connection";
import { keyNamespace, taggedQueueName } from "@/lib/redis/keys";

export function openQueue(name: string, connection: RedisClient, prefix: string, options: Omit<QueueOptions, "connection" | "prefix"> = {}): Queue {
  const queue = new Queue(taggedQueueName(name), { ...options, connection, prefix: keyNamespace(prefix) });
  // Redis outages surface as failed calls to whoever uses the queue; the event would crash the process.
  queue.on("error", () => {});
  return queue;
}

export function openWorker(
  name: string,
  processor: Processor,
  connection: RedisClient,
  prefix: string,
  options: Omit<WorkerOptions, "connection" | "prefix"> = {},
): Worker {
  return new Worker(taggedQueueName(name), processor, { ...options, connection, prefix: keyNamespace(prefix) });
}
