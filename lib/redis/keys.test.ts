import { describe, expect, it } from "vitest";
import { keyNamespace, rateLimitKeyPrefix, taggedQueueName, untaggedQueueName } from "./keys";

/** The hash tag Redis Cluster hashes a key by: the first {…} with something inside, else the whole key. */
function hashTagOf(key: string): string {
  const open = key.indexOf("{");
  const close = open === -1 ? -1 : key.indexOf("}", open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

describe("Redis key layout", () => {
  it("gives every queue a hash tag of its own, and the namespace none", () => {
    const sms = `${keyNamespace("gatehouse")}:${taggedQueueName("notifications-sms")}:wait`;
    const email = `${keyNamespace("gatehouse")}:${taggedQueueName("notifications-email")}:wait`;
    expect(sms).toBe("gatehouse:{notifications-sms}:wait");
    expect(hashTagOf(sms)).toBe("notifications-sms");
    expect(hashTagOf(`gatehouse:${taggedQueueName("notifications-sms")}:meta`)).toBe(hashTagOf(sms));
    expect(hashTagOf(email)).not.toBe(hashTagOf(sms));
    expect(untaggedQueueName(taggedQueueName("batch-run"))).toBe("batch-run");
  });

  it("leaves rate-limit counters untagged, so each hashes by its whole name", () => {
    const key = `${rateLimitKeyPrefix("gatehouse", "registerPerIp")}:2jmj7l5rSw0yVb_vlWAYkK`;
    expect(key).toBe("gatehouse:rl:registerPerIp:2jmj7l5rSw0yVb_vlWAYkK");
    expect(hashTagOf(key)).toBe(key);
  });

  it("refuses a namespace with a hash tag (it would put every key in one slot)", () => {
    expect(() => keyNamespace("{gatehouse}")).toThrow(/hash tag/);
    expect(keyNamespace("gh-test-0a1b2c")).toBe("gh-test-0a1b2c");
  });
});
