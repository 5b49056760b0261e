import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { webhookDeliveries, webhookEndpoints, type WebhookEndpoint } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { parseInput } from "@/lib/phases/validate";
import { lockWebhookEndpoint } from "./lock-webhook-endpoint";

export const setWebhookEndpointEnabledInput = z.object({
  endpointId: z.uuid(),
  enabled: z.boolean(),
  /** Shown on the console while it is disabled. */
  reason: z.string().trim().max(200).optional(),
});
export type SetWebhookEndpointEnabledInput = z.input<typeof setWebhookEndpointEnabledInput>;

/**
 * Disables or re-enables an endpoint (admin). While disabled its events keep arriving and wait
 * as `pending`; re-enabling replays every one of them at once, oldest first, with a fresh retry
 * schedule — including those a dead endpoint left waiting when it was disabled automatically.
 */
export async function setWebhookEndpointEnabled(
  db: Database,
  actor: Actor,
  input: SetWebhookEndpointEnabledInput,
): Promise<{ endpoint: WebhookEndpoint; replayed: number }> {
  assertCan(actor, "manage_webhooks");
  const { endpointId, enabled, reason } = parseInput(setWebhookEndpointEnabledInput, input);
  return db.transaction(async (tx) => {
    const before = await lockWebhookEndpoint(tx, endpointId);
    if ((before.status === "enabled") === enabled) {
      throw new AppError("invalid_state", `The endpoint is already ${before.status}.`);
    }
    const now = new Date();
    const [endpoint] = await tx
      .update(webhookEndpoints)
      .set(
        enabled
          ? { status: "enabled", disabledReason: null, disabledAt: null, disabledAutomatically: false, failingSince: null, updatedAt: now }
          : { status: "disabled", disabledReason: reason || `Disabled by ${actor.email}`, disabledAt: now, disabledAutomatically: false, updatedAt: now },
      )
      .where(eq(webhookEndpoints.id, endpointId))
      .returning();
    let replayed = 0;
    if (enabled) {
      const rows = await tx
        .update(webhookDeliveries)
        .set({ nextAttemptAt: sql`least(${webhookDeliveries.nextAttemptAt}, now())`, failures: 0, failingSince: null, updatedAt: sql`now()` })
        .where(and(eq(webhookDeliveries.endpointId, endpointId), eq(webhookDeliveries.status, "pending")))
        .returning({ id: webhookDeliveries.id });
      replayed = rows.length;
    }
    await recordAudit(tx, {
      actor,
      action: enabled ? "webhook.enable" : "webhook.disable",
      targetType: "webhook_endpoint",
      targetId: endpointId,
      before: { status: before.status, disabledReason: before.disabledReason },
      after: enabled ? { status: "enabled", replayed } : { status: "disabled", disabledReason: endpoint!.disabledReason },
    });
    return { endpoint: endpoint!, replayed };
  });
}
