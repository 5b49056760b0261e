import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { createRedis, waitUntilReady } from "../../lib/redis/connection";

export function testRedisUrl(): string {
  return inject("redisUrl");
}

/** A key namespace (QUEUE_PREFIX) no other test (or other user of this Redis) shares: every key of the test starts with it. */
export function uniqueQueuePrefix(): string {
  return `gh-test-${randomBytes(5).toString("hex")}`;
}

/** Deletes every key under a prefix (the machine's Redis may be shared). */
export async function deleteKeysWithPrefix(prefix: string): Promise<void> {
  const redis = createRedis("producer", { target: { url: testRedisUrl() } });
  try {
    await waitUntilReady(redis);
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
