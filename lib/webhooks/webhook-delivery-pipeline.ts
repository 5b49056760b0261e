// The delivery path of one worker process: claim → send → record, with the claims and the
// records of concurrent jobs batched into multi-row statements. Unlike SMS, webhooks are sent
// at least once: a worker that dies between the claim and the record leaves the row `sending`,
// and the stale-claim sweep gives it back to the relay, which sends it again with the same
// `webhook-id` (receivers deduplicate by it, as Standard Webhooks asks of them).
import type { Database } from "@/db/client";
import { createBatcher } from "@/lib/batcher";
import { claimWebhookDeliveries, type ClaimedWebhookDelivery } from "./claim-webhook-deliveries";
import { recordWebhookOutcomes, type RetrySchedule, type WebhookOutcome } from "./record-webhook-outcomes";
import { sendWebhookRequest } from "./send-webhook-request";

export interface WebhookDeliverySettings extends RetrySchedule {
  timeoutMs: number;
}

export type WebhookDeliveryResult = { status: "skipped" } | { status: "delivered" | "retry"; statusCode: number | null; error: string | null };

export interface WebhookDeliveryPipeline {
  deliver(deliveryId: string): Promise<WebhookDeliveryResult>;
}

export function createWebhookDeliveryPipeline(db: Database, settings: WebhookDeliverySettings): WebhookDeliveryPipeline {
  const claim = createBatcher(async (ids: string[]) => {
    const claimed = new Map((await claimWebhookDeliveries(db, ids)).map((c) => [c.message.id, c]));
    return ids.map((id): ClaimedWebhookDelivery | null => claimed.get(id) ?? null);
  });
  const record = createBatcher(async (outcomes: WebhookOutcome[]) => {
    await recordWebhookOutcomes(db, outcomes, settings);
    return outcomes.map(() => undefined);
  });

  return {
    async deliver(deliveryId) {
      const claimed = await claim(deliveryId);
      if (!claimed) return { status: "skipped" };
      const result = await sendWebhookRequest(claimed.message, { timeoutMs: settings.timeoutMs });
      await record({ claimed, result });
      return { status: result.ok ? "delivered" : "retry", statusCode: result.statusCode, error: result.error };
    },
  };
}
