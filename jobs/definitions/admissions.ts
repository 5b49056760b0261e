import { z } from "zod";
import { defineJob, keepFinished } from "./define";

/**
 * Runs one batch to the end, chunk by chunk (job id = batch id, so creating the batch twice
 * never runs it twice). A stalled worker's job is retried by BullMQ; the chunks are idempotent
 * because each one re-reads the batch's counters under its row lock.
 */
export const runBatch = defineJob({
  queue: "batch-run",
  payload: z.object({ batchId: z.uuid() }),
  options: { attempts: 3, backoff: { type: "exponential", delay: 5000 }, ...keepFinished },
});

const periodicPayload = z.object({}).default({});
const periodicOptions = { removeOnComplete: { count: 10 }, removeOnFail: { count: 100 } } as const;

/** Batches still `queued` a while after creation (Redis was down when they were made) → enqueue. */
export const batchDispatch = defineJob({ queue: "batch-dispatch", payload: periodicPayload, options: periodicOptions });

/** Live invitations past their expiry → expired, units refunded, people requeued (periodic). */
export const invitationExpirySweep = defineJob({ queue: "invitation-expiry-sweep", payload: periodicPayload, options: periodicOptions });

/** A `scheduled` phase whose start has come → active (periodic). */
export const phaseActivation = defineJob({ queue: "phase-activation", payload: periodicPayload, options: periodicOptions });
