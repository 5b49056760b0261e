// The relay loop: drains the outbox into the queues. It polls (a cheap index probe on pending
// rows) every `idleMs` when idle and goes again at once when a chunk was full. While Redis is
// down each pass fails, the rows stay `pending`, and the loop backs off up to `maxBackoffMs`.
import type { Database } from "@/db/client";
import { DEFAULT_RELAY_CHUNK, relayPendingNotifications } from "@/lib/notifications/relay";
import { notificationEnqueuer } from "./outbox-enqueue";
import type { Logger } from "./processor";
import type { JobProducer } from "./producer";

export interface OutboxRelayOptions {
  db: Database;
  producer: JobProducer;
  log: Logger;
  idleMs?: number;
  chunkSize?: number;
  maxBackoffMs?: number;
  /** First retry delay of the relayed jobs. */
  backoffDelayMs?: number;
}

export interface OutboxRelay {
  stop(): Promise<void>;
}

export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const idleMs = options.idleMs ?? 200;
  const chunkSize = options.chunkSize ?? DEFAULT_RELAY_CHUNK;
  const maxBackoffMs = options.maxBackoffMs ?? 5000;
  const enqueue = notificationEnqueuer(options.producer, { backoffDelayMs: options.backoffDelayMs });
  let stopped = false;
  let wake: (() => void) | null = null;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  const loop = async () => {
    let failures = 0;
    while (!stopped) {
      try {
        const relayed = await relayPendingNotifications(options.db, { enqueue, chunkSize });
        if (failures > 0) options.log("relay.recovered", { afterFailures: failures });
        failures = 0;
        if (relayed < chunkSize) await sleep(idleMs);
      } catch (error) {
        failures += 1;
        // One line when an outage starts, then one every 20 failed passes.
        if (failures === 1 || failures % 20 === 0) {
          options.log("relay.failed", { failures, error: error instanceof Error ? error.message : String(error) });
        }
        await sleep(Math.min(idleMs * 2 ** Math.min(failures, 10), maxBackoffMs));
      }
    }
  };

  const running = loop();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await running;
    },
  };
}
