import { z } from "zod";
import { defineJob, keepFinished } from "./define";

/**
 * One attempt of one webhook delivery (job id `<delivery id>-<enqueues>`, set by the relay). No
 * BullMQ retries: the retry schedule (a day long) lives in PostgreSQL, where the relay picks a
 * delivery up again when its next attempt is due.
 */
export const deliverWebhook = defineJob({
  queue: "webhooks",
  payload: z.object({ deliveryId: z.uuid() }),
  options: { attempts: 1, ...keepFinished },
});

/** Stale claims back to the relay; finished deliveries past retention deleted (periodic). */
export const webhookMaintenance = defineJob({
  queue: "webhook-maintenance",
  payload: z.object({}).default({}),
  options: { removeOnComplete: { count: 10 }, removeOnFail: { count: 100 } },
});
