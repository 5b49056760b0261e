import { createWebhookDeliveryPipeline, type WebhookDeliveryPipeline } from "@/lib/webhooks/webhook-delivery-pipeline";
import { purgeOldWebhookDeliveries, releaseStaleWebhookClaims } from "@/lib/webhooks/webhook-maintenance";
import { deliverWebhook, webhookMaintenance } from "../definitions/webhooks";
import { defineProcessor, type JobContext, type WorkerSettings } from "../processor";

// One pipeline per worker process (per settings object), shared by the concurrent jobs so their
// claims and records batch together.
const pipelines = new WeakMap<WorkerSettings, WebhookDeliveryPipeline>();

function pipelineFor(ctx: JobContext): WebhookDeliveryPipeline {
  let pipeline = pipelines.get(ctx.settings);
  if (!pipeline) {
    pipeline = createWebhookDeliveryPipeline(ctx.db, { timeoutMs: ctx.settings.webhookTimeoutMs, retryDelaysMs: ctx.settings.webhookRetryDelaysMs });
    pipelines.set(ctx.settings, pipeline);
  }
  return pipeline;
}

export const deliverWebhookProcessor = defineProcessor(deliverWebhook, {
  concurrency: (s) => s.webhookConcurrency,
  // A failed attempt is not a failed job: the next one is scheduled in PostgreSQL.
  handle: ({ deliveryId }, ctx) => pipelineFor(ctx).deliver(deliveryId),
});

let lastPurge = 0;
const PURGE_EVERY_MS = 3_600_000;

export const webhookMaintenanceProcessor = defineProcessor(webhookMaintenance, {
  schedule: { repeat: (s) => ({ every: Math.min(60_000, Math.max(1000, Math.round(s.webhookStaleClaimMs / 2))) }), payload: {} },
  async handle(_payload, ctx) {
    const released = await releaseStaleWebhookClaims(ctx.db, { olderThanMs: ctx.settings.webhookStaleClaimMs });
    if (released > 0) ctx.log("webhooks.released", { count: released });
    let purged = 0;
    if (Date.now() - lastPurge >= PURGE_EVERY_MS) {
      lastPurge = Date.now();
      purged = await purgeOldWebhookDeliveries(ctx.db);
      if (purged > 0) ctx.log("webhooks.purged", { count: purged });
    }
    return { released, purged };
  },
});
