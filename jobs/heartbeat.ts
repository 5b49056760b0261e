// Each worker process writes a heartbeat every few seconds into one Redis hash, so the console
// can list live workers without CLIENT LIST (often disabled on managed Redis).
import type { RedisClient } from "@/lib/redis/connection";

export const HEARTBEAT_INTERVAL_MS = 5000;

/** The hash worker processes beat into (field = worker id, value = JSON Heartbeat). */
export function heartbeatKey(prefix: string): string {
  return `${prefix}:worker-heartbeats`;
}

export interface Heartbeat {
  workerId: string;
  pid: number;
  host: string;
  queues: string[];
  startedAt: string;
  lastSeenAt: string;
}

/** A worker not heard from for this long is shown as gone (it beats every 5 s). */
export const HEARTBEAT_STALE_MS = 30_000;

export function startHeartbeat(options: { redis: RedisClient; prefix: string; workerId: string; queues: string[] }): { stop(): Promise<void> } {
  const key = heartbeatKey(options.prefix);
  const startedAt = new Date().toISOString();
  const beat = () => {
    const value: Heartbeat = {
      workerId: options.workerId,
      pid: process.pid,
      host: options.workerId.split("-").slice(0, -2).join("-"),
      queues: options.queues,
      startedAt,
      lastSeenAt: new Date().toISOString(),
    };
    // Redis down: skip this beat; the console shows the worker as silent meanwhile.
    options.redis.hset(key, options.workerId, JSON.stringify(value)).catch(() => {});
  };
  // The connection fails fast: beat as soon as it is (again) ready rather than wait a period.
  options.redis.on("ready", beat);
  if (options.redis.status === "ready") beat();
  const timer = setInterval(beat, HEARTBEAT_INTERVAL_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      options.redis.off("ready", beat);
      await options.redis.hdel(key, options.workerId).catch(() => {});
    },
  };
}
