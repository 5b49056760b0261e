// The relay loop: drains the outbox into the queues. It polls (a cheap index probe on pending
// rows) every `idleMs` when idle and goes again at once when a chunk was full. While Redis is
// down each pass fails, the rows stay `pending`, and the loop backs off up to `maxBackoffMs`.
// Every `repairEveryMs` (and right after an outage) it also re-enqueues `queued` rows whose
// jobs Redis lost — safe because job ids are notification ids and sends go through the claim.
import type { Database } from "@/db/client";
import { DEFAULT_RELAY_CHUNK, relayPendingNotifications, repairQueuedNotifications } from "@/lib/notifications/relay";
import { relayDueWebhookDeliveries, repairQueuedWebhookDeliveries } from "@/lib/webhooks/relay-webhook-deliveries";
import { missingJobFinder, notificationEnqueuer } from "./outbox-enqueue";
import { missingWebhookJobFinder, webhookEnqueuer } from "./webhook-enqueue";
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
  /** How often to look for `queued` rows without a job (default 60 s). */
  repairEveryMs?: number;
  /** Only rows queued (or last checked) longer ago than this are checked (default 5 min). */
  repairOlderThanMs?: number;
}

export interface OutboxRelay {
  stop(): Promise<void>;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const idleMs = options.idleMs ?? 200;
  const chunkSize = options.chunkSize ?? DEFAULT_RELAY_CHUNK;
  const maxBackoffMs = options.maxBackoffMs ?? 5000;
  const repairEveryMs = options.repairEveryMs ?? 60_000;
  const repairOlderThanMs = options.repairOlderThanMs ?? 5 * 60_000;
  const enqueue = notificationEnqueuer(options.producer, { backoffDelayMs: options.backoffDelayMs });
  const findMissing = missingJobFinder(options.producer);
  const enqueueWebhooks = webhookEnqueuer(options.producer);
  const findMissingWebhooks = missingWebhookJobFinder(options.producer);
  let stopped = false;
  let wake: (() => void) | null = null;
  let nextRepairAt = Date.now() + repairEveryMs;

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

  const repair = async () => {
    let requeued = 0;
    for (let n = -1; n !== 0 && !stopped; requeued += n) {
      n = await repairQueuedNotifications(options.db, { olderThanMs: repairOlderThanMs, findMissing, enqueue, limit: chunkSize });
    }
    for (let n = -1; n !== 0 && !stopped; requeued += n) {
      n = await repairQueuedWebhookDeliveries(options.db, { olderThanMs: repairOlderThanMs, findMissing: findMissingWebhooks, limit: chunkSize });
    }
    if (requeued > 0) options.log("relay.requeued", { count: requeued });
  };

  const loop = async () => {
    let failures = 0;
    while (!stopped) {
      try {
        if (Date.now() >= nextRepairAt) {
          nextRepairAt = Date.now() + repairEveryMs;
          await repair();
        }
        const relayed = await relayPendingNotifications(options.db, { enqueue, chunkSize });
        // The webhook outbox drains in the same loop: the same Redis, the same back-off.
        const relayedWebhooks = await relayDueWebhookDeliveries(options.db, { enqueue: enqueueWebhooks, chunkSize });
        if (failures > 0) {
          options.log("relay.recovered", { afterFailures: failures });
          // Redis may have come back empty: look for lost jobs now rather than in a minute.
          nextRepairAt = Date.now();
        }
        failures = 0;
        if (relayed < chunkSize && relayedWebhooks < chunkSize) await sleep(idleMs);
      } catch (error) {
        failures += 1;
        // One line when an outage starts, then one every 20 failed passes.
        if (failures === 1 || failures % 20 === 0) options.log("relay.failed", { failures, error: errorText(error) }, "warn");
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
