// Adding jobs. Producers fail fast when Redis is down (the producer role of lib/redis/connection):
// callers get an error at once instead of a hang. Request paths never call this for notifications
// — they write the outbox, and the relay enqueues.
import type { Job, JobsOptions, Queue } from "bullmq";
import { StoreUnavailableError } from "@/lib/errors";
import { currentLogContext } from "@/lib/log";
import { createRedis, waitUntilReady, type RedisClient, type RedisTarget } from "@/lib/redis/connection";
import { keyNamespace } from "@/lib/redis/keys";
import { REQUEST_ID_FIELD, type JobDefinition, type PayloadOf } from "./definitions/define";
import { openQueue } from "./queues";

/** The job's data: the payload, and the id of the request being handled when there is one (its log lines carry it). */
function jobData(payload: unknown, requestId: string | number | undefined): unknown {
  return requestId === undefined ? payload : { ...(payload as object), [REQUEST_ID_FIELD]: requestId };
}

export class JobProducer {
  private readonly queues = new Map<string, Queue>();

  constructor(
    readonly connection: RedisClient,
    readonly prefix: string,
  ) {}

  /** The Queue of a definition (one instance per queue, created on first use). */
  queue(definition: JobDefinition): Queue {
    let queue = this.queues.get(definition.queue);
    if (!queue) {
      queue = openQueue(definition.queue, this.connection, this.prefix, { defaultJobOptions: definition.options });
      this.queues.set(definition.queue, queue);
    }
    return queue;
  }

  async enqueue<D extends JobDefinition>(definition: D, payload: PayloadOf<D>, options?: JobsOptions): Promise<Job> {
    const data = jobData(definition.payload.parse(payload), currentLogContext()?.requestId);
    await this.assertConnected();
    return this.queue(definition).add(definition.queue, data, options);
  }

  async enqueueBulk<D extends JobDefinition>(definition: D, items: { payload: PayloadOf<D>; options?: JobsOptions }[]): Promise<Job[]> {
    if (items.length === 0) return [];
    await this.assertConnected();
    const requestId = currentLogContext()?.requestId;
    return this.queue(definition).addBulk(
      items.map((item) => ({ name: definition.queue, data: jobData(definition.payload.parse(item.payload), requestId), opts: item.options })),
    );
  }

  /**
   * BullMQ waits for a ready connection before it sends anything, so without this check an add
   * during an outage would hang instead of failing. A connection still opening (a fresh process)
   * gets a short grace; one that is down fails at once.
   */
  async assertConnected(): Promise<void> {
    const status = this.connection.status;
    if (status === "ready") return;
    if (status === "wait" || status === "connecting" || status === "connect") {
      if (status === "wait") this.connection.connect().catch(() => {});
      await waitUntilReady(this.connection, 1000);
      return;
    }
    throw new StoreUnavailableError("redis", `Redis is unavailable (connection ${status})`);
  }

  /** Closes the queues; the connection belongs to whoever created it. */
  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => {})));
    this.queues.clear();
  }
}

/** A producer on its own fail-fast connection; close() closes both. Defaults: the configured Redis and QUEUE_PREFIX. */
export function createProducer(options: { redis?: RedisTarget; prefix?: string } = {}): JobProducer & { closeAll(): Promise<void> } {
  const connection = createRedis("producer", { target: options.redis });
  const producer = new JobProducer(connection, keyNamespace(options.prefix)) as JobProducer & { closeAll(): Promise<void> };
  producer.closeAll = async () => {
    await producer.close();
    connection.disconnect();
  };
  return producer;
}

const cache = globalThis as unknown as { gatehouseProducer?: ReturnType<typeof createProducer> };

/** The process-wide producer (web tier, CLI), from REDIS_CLUSTER_NODES or REDIS_URL, and QUEUE_PREFIX. */
export function getProducer(): JobProducer {
  cache.gatehouseProducer ??= createProducer();
  return cache.gatehouseProducer;
}

export async function closeProducer(): Promise<void> {
  await cache.gatehouseProducer?.closeAll();
  cache.gatehouseProducer = undefined;
}
