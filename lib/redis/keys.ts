// How Gatehouse names its Redis keys, so that on a Redis Cluster every multi-key operation stays
// in one hash slot while the data spreads over the nodes.
//
// QUEUE_PREFIX is a namespace (default `gatehouse`), never a hash tag: a tag in it would pull
// every key into one slot, i.e. one node. Each queue carries its own tag instead — BullMQ's
// scripts touch many keys of one queue at once, so a queue must live in one slot, but two queues
// need not share one. Single-key data carries no tag at all and hashes by its whole name.
//
//   a queue's keys        <ns>:{<queue>}:<suffix>      gatehouse:{notifications-sms}:wait
//   a rate-limit counter  <ns>:rl:<rule>:<key hash>    gatehouse:rl:registerPerIp:2jmj7l5rSw0yVb_vlWAYkK
//   worker heartbeats     <ns>:worker-heartbeats       gatehouse:worker-heartbeats
//
// Tests isolate themselves with a unique namespace (`gh-test-<random>`): every key starts with it.
import { env } from "@/lib/env.js";

/** The namespace of every key (QUEUE_PREFIX); refuses one that carries a hash tag. */
export function keyNamespace(prefix: string = env.QUEUE_PREFIX): string {
  if (/[{}]/.test(prefix)) {
    // env.js refuses such a value at start-up; this catches one assigned later (tests, scripts).
    throw new Error(
      `QUEUE_PREFIX "${prefix}" contains a hash tag: it would put every queue in one Redis Cluster slot. Use a plain namespace such as "gatehouse"; each queue carries its own tag.`,
    );
  }
  return prefix;
}

/** BullMQ's name for a queue: its own hash tag, so its keys share one slot (`<ns>:{<queue>}:…`). */
export function taggedQueueName(queue: string): string {
  return `{${queue}}`;
}

/** The logical queue name of a BullMQ name made by taggedQueueName. */
export function untaggedQueueName(bullName: string): string {
  return bullName.startsWith("{") && bullName.endsWith("}") ? bullName.slice(1, -1) : bullName;
}

/** Prefix of the rate-limit counters of one rule (rate-limiter-flexible appends `:<key>`). */
export function rateLimitKeyPrefix(namespace: string, rule: string): string {
  return `${namespace}:rl:${rule}`;
}
