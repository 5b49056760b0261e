// Adding jobs. Producers fail fast when Redis is down (see connection.ts): callers get an error
// at once instead of a hang. Request paths never call this for notifications — they write the
// outbox, and the relay enqueues.
import { Queue, type Job, type JobsOptions } from "bullmq";
import type Redis from "ioredis";
import { createProducerConnection, resolveQueuePrefix, waitUntilReady, type RedisTarget } from "./connection";
import type { JobDefinition, PayloadOf } from "./definitions/define";

export class JobProducer {
  private readonly queues = new Map<string, Queue>();

  constructor(
    readonly connection: Redis,
    readonly prefix: string,
  ) {}

  /** The Queue of a definition (one instance per queue, created on first use). */
  queue(definition: JobDefinition): Queue {
    let queue = this.queues.get(definition.queue);
    if (!queue) {
      queue = new Queue(definition.queue, { connection: this.connection, prefix: this.prefix, defaultJobOptions: definition.options });
      queue.on("error", () => {});
      this.queues.set(definition.queue, queue);
    }
    return queue;
  }

  async enqueue<D extends JobDefinition>(definition: D, payload: PayloadOf<D>, options?: JobsOptions): Promise<Job> {
    const data = definition.payload.parse(payload);
    await this.assertConnected();
    return this.queue(definition).add(definition.queue, data, options);
  }

  async enqueueBulk<D extends JobDefinition>(definition: D, items: { payload: PayloadOf<D>; options?: JobsOptions }[]): Promise<Job[]> {
    if (items.length === 0) return [];
    await this.assertConnected();
    return this.queue(definition).addBulk(
      items.map((item) => ({ name: definition.queue, data: definition.payload.parse(item.payload), opts: item.options })),
    );
  }

  /**
   * BullMQ waits for a ready connection before it sends anything, so without this check an add
   * during an outage would hang instead of failing. A connection still opening (a fresh process)
   * gets a short grace; one that is down fails at once.
   */
  private async assertConnected(): Promise<void> {
    const status = this.connection.status;
    if (status === "ready") return;
    if (status === "wait" || status === "connecting" || status === "connect") {
      if (status === "wait") this.connection.connect().catch(() => {});
      await waitUntilReady(this.connection, 1000);
      return;
    }
    throw new Error(`Redis is unavailable (connection ${status})`);
  }

  /** Closes the queues; the connection belongs to whoever created it. */
  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => {})));
    this.queues.clear();
  }
}

/** A producer on its own fail-fast connection; close() closes both. */
export function createProducer(target: RedisTarget = {}): JobProducer & { closeAll(): Promise<void> } {
  const connection = createProducerConnection(target.redisUrl);
  const producer = new JobProducer(connection, resolveQueuePrefix(target.prefix)) as JobProducer & { closeAll(): Promise<void> };
  producer.closeAll = async () => {
    await producer.close();
    connection.disconnect();
  };
  return producer;
}

const cache = globalThis as unknown as { gatehouseProducer?: ReturnType<typeof createProducer> };

/** The process-wide producer (web tier, CLI), from REDIS_URL and QUEUE_PREFIX. */
export function getProducer(): JobProducer {
  cache.gatehouseProducer ??= createProducer();
  return cache.gatehouseProducer;
}

export async function closeProducer(): Promise<void> {
  await cache.gatehouseProducer?.closeAll();
  cache.gatehouseProducer = undefined;
}
