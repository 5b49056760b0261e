import { randomBytes } from "node:crypto";
import Redis from "ioredis";
import { inject } from "vitest";

export function testRedisUrl(): string {
  return inject("redisUrl");
}

/** A queue prefix no other test (or other user of this Redis) shares; hash-tagged like production. */
export function uniqueQueuePrefix(): string {
  return `{gh-test-${randomBytes(5).toString("hex")}}`;
}

/** Deletes every key under a prefix (the machine's Redis may be shared). */
export async function deleteKeysWithPrefix(prefix: string): Promise<void> {
  const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
  try {
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
