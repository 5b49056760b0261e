import type { Job, RateLimiterOptions, RepeatOptions } from "bullmq";
import type { Database } from "@/db/client";
import type { NotificationProviders } from "@/lib/notifications/providers/types";
import type { JobDefinition, ParsedPayloadOf, PayloadOf } from "./definitions/define";
import type { JobProducer } from "./producer";

/**
 * Lifecycle lines of workers, the relay and jobs: an event name (the pino line's `msg`), fields,
 * and a level (default info). jobs/event-log.ts writes them through lib/log.ts; tests collect them.
 */
export type Logger = (event: string, fields?: Record<string, unknown>, level?: "info" | "warn" | "error") => void;

/** Settings a processor may read; startWorkers fills them from env and lets tests override. */
export interface WorkerSettings {
  /** Notification jobs processed in parallel per queue per process. */
  notificationConcurrency: number;
  /** Per-channel rate limits (jobs per second across all workers); null = unlimited. */
  smsRatePerSecond: number | null;
  emailRatePerSecond: number | null;
  /** A `sending` claim older than this is declared `unknown`. */
  staleClaimMs: number;
  /** A `queued` row older than this is checked against Redis. */
  queuedRepairMs: number;
  /** First retry delay of a notification (exponential from there, with jitter). */
  notificationBackoffMs: number;
  /** Job lock duration and stalled check interval (BullMQ lockDuration / stalledInterval). */
  stalledCheckMs: number;
  /** Registrations a batch invites per chunk (one transaction); default BATCH_CHUNK_SIZE. */
  batchChunkSize?: number;
  /** Webhook deliveries sent in parallel per process. */
  webhookConcurrency: number;
  /** How long a webhook endpoint has to answer an attempt. */
  webhookTimeoutMs: number;
  /** Delays before each retry of a failed webhook delivery; past the end it gives up (or disables a dead endpoint). */
  webhookRetryDelaysMs: readonly number[];
  /** A webhook claim older than this (its worker died) is sent again; must exceed the timeout. */
  webhookStaleClaimMs: number;
}

/** What every handler receives besides its payload. */
export interface JobContext {
  db: Database;
  producer: JobProducer;
  providers: NotificationProviders;
  settings: WorkerSettings;
  /** Writes the job's lines: each carries its queue, job id and request id. */
  log: Logger;
  job: Job;
  /** The request that enqueued this job, if one did: for the lib calls that record it. */
  requestId: string | undefined;
}

export interface ProcessorOptions<D extends JobDefinition> {
  handle(payload: ParsedPayloadOf<D>, ctx: JobContext): Promise<unknown>;
  /** Jobs in parallel per process (default 1). */
  concurrency?: (settings: WorkerSettings) => number;
  /** BullMQ limiter for this queue (across all workers). */
  limiter?: (settings: WorkerSettings) => RateLimiterOptions | undefined;
  /**
   * Makes it periodic: a BullMQ job scheduler (upsertJobScheduler, id = queue name) produces a
   * job with `payload` on this repeat (`{ every: ms }` or `{ pattern: cron }`).
   */
  schedule?: { repeat: ScheduleRepeat; payload: PayloadOf<D> };
  /** Called once the workers are closed, before the connections: finish background writes. */
  drain?: () => Promise<void>;
}

/** A repeat, fixed or derived from the settings (e.g. a sweep as frequent as its threshold). */
export type ScheduleRepeat = Omit<RepeatOptions, "key"> | ((settings: WorkerSettings) => Omit<RepeatOptions, "key">);

/** A processor with its type erased, so processors of every job type fit in one list. */
export interface RegisteredProcessor {
  definition: JobDefinition;
  concurrency(settings: WorkerSettings): number;
  limiter(settings: WorkerSettings): RateLimiterOptions | undefined;
  schedule?: { repeat: ScheduleRepeat; payload: unknown };
  drain(): Promise<void>;
  /** Re-validates the payload (it crossed Redis), then runs the handler. */
  run(data: unknown, ctx: JobContext): Promise<unknown>;
}

export function defineProcessor<D extends JobDefinition>(definition: D, options: ProcessorOptions<D>): RegisteredProcessor {
  return {
    definition,
    concurrency: options.concurrency ?? (() => 1),
    limiter: options.limiter ?? (() => undefined),
    schedule: options.schedule,
    drain: options.drain ?? (async () => {}),
    run: (data, ctx) => options.handle(definition.payload.parse(data) as ParsedPayloadOf<D>, ctx),
  };
}
