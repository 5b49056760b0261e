import { UnrecoverableError } from "bullmq";
import { createDeliveryPipeline, type DeliveryPipeline } from "@/lib/notifications/delivery";
import type { NotificationProviders } from "@/lib/notifications/providers/types";
import { markStaleClaimsUnknown } from "@/lib/notifications/relay";
import { enqueueInvitationReminders } from "@/lib/notifications/reminders";
import { eraseSettledNotificationCodes, sealLegacyNotificationCodes } from "@/lib/notifications/settle-codes";
import { deliverEmail, deliverSms, invitationReminders, notificationClaimSweep } from "../definitions/notifications";
import { defineProcessor, type JobContext } from "../processor";

// One pipeline per worker process (per provider set), shared by the concurrent jobs so their
// database writes batch together.
const pipelines = new WeakMap<NotificationProviders, DeliveryPipeline>();
const livePipelines = new Set<DeliveryPipeline>();

function pipelineFor(ctx: JobContext): DeliveryPipeline {
  let pipeline = pipelines.get(ctx.providers);
  if (!pipeline) {
    pipeline = createDeliveryPipeline(ctx.db, ctx.providers);
    pipelines.set(ctx.providers, pipeline);
    livePipelines.add(pipeline);
  }
  return pipeline;
}

async function deliver({ notificationId }: { notificationId: string }, ctx: JobContext): Promise<string> {
  // attemptsMade counts the failed attempts before this one.
  const finalAttempt = ctx.job.attemptsMade + 1 >= (ctx.job.opts.attempts ?? 1);
  const outcome = await pipelineFor(ctx).deliver(notificationId, { finalAttempt });
  // A thrown error makes BullMQ retry after the definition's backoff; UnrecoverableError does not.
  if (outcome.status === "retry") throw new Error(outcome.error);
  if (outcome.status === "failed") throw new UnrecoverableError(outcome.error);
  return outcome.status;
}

const perSecond = (max: number | null) => (max ? { max, duration: 1000 } : undefined);

/** Commits the "sent" marks still in flight (graceful shutdown). */
async function drainPipelines(): Promise<void> {
  await Promise.all([...livePipelines].map((p) => p.flush()));
}

export const deliverSmsProcessor = defineProcessor(deliverSms, {
  concurrency: (s) => s.notificationConcurrency,
  limiter: (s) => perSecond(s.smsRatePerSecond),
  drain: drainPipelines,
  handle: deliver,
});

export const deliverEmailProcessor = defineProcessor(deliverEmail, {
  concurrency: (s) => s.notificationConcurrency,
  limiter: (s) => perSecond(s.emailRatePerSecond),
  drain: drainPipelines,
  handle: deliver,
});

export const notificationClaimSweepProcessor = defineProcessor(notificationClaimSweep, {
  // Half the staleness threshold, between 1 s and a minute.
  schedule: { repeat: (s) => ({ every: Math.min(60_000, Math.max(1000, Math.round(s.staleClaimMs / 2))) }), payload: {} },
  async handle(_payload, ctx) {
    const count = await markStaleClaimsUnknown(ctx.db, { olderThanMs: ctx.settings.staleClaimMs });
    if (count > 0) ctx.log("notifications.unknown", { count });
    // Codes kept for a retry: sealed if an old row kept one in clear, erased once dead.
    const sealed = await sealLegacyNotificationCodes(ctx.db);
    const erased = await eraseSettledNotificationCodes(ctx.db);
    if (sealed + erased > 0) ctx.log("notifications.codes_settled", { sealed, erased });
    return { unknown: count, codesSealed: sealed, codesErased: erased };
  },
});

export const invitationRemindersProcessor = defineProcessor(invitationReminders, {
  schedule: { repeat: { every: 5 * 60_000 }, payload: {} },
  async handle(_payload, ctx) {
    const count = await enqueueInvitationReminders(ctx.db);
    if (count > 0) ctx.log("reminders.enqueued", { count });
    return { reminders: count };
  },
});
