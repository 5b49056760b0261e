import type { EnqueueWebhookDeliveries } from "@/lib/webhooks/relay-webhook-deliveries";
import { REQUEST_ID_FIELD } from "./definitions/define";
import { deliverWebhook } from "./definitions/webhooks";
import type { JobProducer } from "./producer";

/** Adds relayed deliveries to the webhooks queue under the job ids the relay chose, with the request id of their event. */
export function webhookEnqueuer(producer: JobProducer): EnqueueWebhookDeliveries {
  return async (rows) => {
    await producer
      .queue(deliverWebhook)
      .addBulk(
        rows.map((row) => ({
          name: deliverWebhook.queue,
          data: row.requestId ? { deliveryId: row.deliveryId, [REQUEST_ID_FIELD]: row.requestId } : { deliveryId: row.deliveryId },
          opts: { ...deliverWebhook.options, jobId: row.jobId },
        })),
      );
  };
}

/** Job ids with no live job: gone from Redis, or finished while their row still says `queued`. */
export function missingWebhookJobFinder(producer: JobProducer): (jobIds: string[]) => Promise<Set<string>> {
  return async (jobIds) => {
    const queue = producer.queue(deliverWebhook);
    const states = await Promise.all(jobIds.map((id) => queue.getJobState(id)));
    return new Set(jobIds.filter((_, i) => states[i] === "unknown" || states[i] === "completed" || states[i] === "failed"));
  };
}
