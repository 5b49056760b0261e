// Producers fail fast while Redis is down (the BullMQ production guide): a request that enqueues
// must get an error within a bounded time, never hang.
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createProducer } from "../../jobs/producer";
import { runBatch } from "../../jobs/definitions/admissions";
import { startRedisServer } from "../../scripts/lib/services";
import { uniqueQueuePrefix } from "../helpers/redis";

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

describe("job producer", () => {
  it("enqueues while Redis is up and fails within a second once it is down", async () => {
    const redis = await startRedisServer(path.resolve(".data/test/redis-producer"));
    expect(redis).not.toBeNull();
    closers.push(() => redis!.stop());
    const producer = createProducer({ redis: { url: redis!.url }, prefix: uniqueQueuePrefix() });
    closers.push(() => producer.closeAll());

    const job = await producer.enqueue(runBatch, { batchId: "00000000-0000-4000-8000-000000000001" });
    expect(job.id).toBeTruthy();

    await redis!.stop();
    // Let the client notice the closed socket.
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    await expect(producer.enqueue(runBatch, { batchId: "00000000-0000-4000-8000-000000000002" })).rejects.toMatchObject({ name: "StoreUnavailableError", store: "redis" });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("fails within a bounded time when Redis never answered", async () => {
    const producer = createProducer({ redis: { url: "redis://127.0.0.1:1" }, prefix: uniqueQueuePrefix() });
    closers.push(() => producer.closeAll());
    const started = Date.now();
    await expect(producer.enqueue(runBatch, { batchId: "00000000-0000-4000-8000-000000000003" })).rejects.toMatchObject({ name: "StoreUnavailableError", store: "redis" });
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
