import type { EnqueueNotifications, RelayedNotification } from "@/lib/notifications/relay";
import { REQUEST_ID_FIELD } from "./definitions/define";
import { deliveryDefinitionByChannel, notificationBackoff } from "./definitions/notifications";
import type { JobProducer } from "./producer";

/**
 * Adds outbox rows to their channel's queue, job id = notification id. A row's request id goes
 * into the job as the producer's jobs carry theirs, so the delivery's log lines name the request.
 */
export function notificationEnqueuer(producer: JobProducer, options: { backoffDelayMs?: number } = {}): EnqueueNotifications {
  return async (rows) => {
    for (const channel of ["sms", "email"] as const) {
      const batch = rows.filter((r) => r.channel === channel);
      if (batch.length === 0) continue;
      const definition = deliveryDefinitionByChannel[channel];
      const queue = producer.queue(definition);
      const jobOptions = options.backoffDelayMs
        ? { ...definition.options, backoff: notificationBackoff(options.backoffDelayMs) }
        : definition.options;
      // A retained finished job with the same id would swallow the add (ids deduplicate).
      // remove() refuses a job that is still locked by a worker; the repair pass covers that.
      for (const row of batch) if (row.redelivery) await queue.remove(row.id);
      await queue.addBulk(
        batch.map((row) => ({
          name: definition.queue,
          data: row.requestId ? { notificationId: row.id, [REQUEST_ID_FIELD]: row.requestId } : { notificationId: row.id },
          opts: { ...jobOptions, jobId: row.id },
        })),
      );
    }
  };
}

/** Rows whose job is gone from Redis or already finished while the row is still `queued`. */
export function missingJobFinder(producer: JobProducer): (rows: RelayedNotification[]) => Promise<RelayedNotification[]> {
  return async (rows) => {
    const states = await Promise.all(rows.map((row) => producer.queue(deliveryDefinitionByChannel[row.channel]).getJobState(row.id)));
    return rows.filter((_, i) => states[i] === "unknown" || states[i] === "completed" || states[i] === "failed");
  };
}
