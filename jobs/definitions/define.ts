import type { DefaultJobOptions } from "bullmq";
import type { z } from "zod";

/**
 * A job type: its queue (one queue per job type, so each gets its own concurrency, limiter and
 * counts), the zod schema of its payload, and default options. Producers enqueue through a
 * definition, so a wrong payload is a type error; processors re-validate with the same schema.
 */
export interface JobDefinition<Queue extends string = string, Payload extends z.ZodType = z.ZodType> {
  /** Queue name: letters, digits and dashes (no `:`, BullMQ uses it in keys). */
  queue: Queue;
  payload: Payload;
  options: DefaultJobOptions;
}

/**
 * Job data beside the payload: the id of the request that enqueued the job (JobProducer adds it),
 * so the job's log lines name the request that caused it. Payload schemas strip it.
 */
export const REQUEST_ID_FIELD = "requestId";

export type PayloadOf<D extends JobDefinition> = z.input<D["payload"]>;
export type ParsedPayloadOf<D extends JobDefinition> = z.output<D["payload"]>;

/** Finished jobs kept for the console, bounded so Redis memory stays bounded (~42 MB per 100k). */
export const keepFinished = {
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
} as const satisfies DefaultJobOptions;

export function defineJob<const Queue extends string, Payload extends z.ZodType>(
  definition: JobDefinition<Queue, Payload>,
): JobDefinition<Queue, Payload> {
  return definition;
}
