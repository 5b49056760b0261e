import { eq, inArray, and } from "drizzle-orm";
import type { Database } from "@/db/client";
import { webhookDeliveries, type WebhookDelivery } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";

/**
 * "Send again" (admin): a delivered or failed delivery goes out once more with the same
 * `webhook-id` (a receiver that already has it may drop it) and a fresh retry schedule. It waits
 * while its endpoint is disabled.
 */
export async function sendWebhookAgain(db: Database, actor: Actor, deliveryId: string): Promise<WebhookDelivery> {
  assertCan(actor, "manage_webhooks");
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId)).for("update").limit(1);
    if (!before) throw new AppError("not_found", "No such webhook delivery.");
    if (before.status !== "delivered" && before.status !== "failed") {
      throw new AppError("invalid_state", "This delivery is still on its way; it is sent again by itself when an attempt fails.");
    }
    const now = new Date();
    const [after] = await tx
      .update(webhookDeliveries)
      .set({ status: "pending", nextAttemptAt: now, failures: 0, failingSince: null, updatedAt: now })
      .where(and(eq(webhookDeliveries.id, deliveryId), inArray(webhookDeliveries.status, ["delivered", "failed"])))
      .returning();
    await recordAudit(tx, {
      actor,
      action: "webhook.send_again",
      targetType: "webhook_delivery",
      targetId: deliveryId,
      before: { status: before.status, attempts: before.attempts },
      after: { status: "pending", endpointId: before.endpointId, eventType: before.eventType },
    });
    return after!;
  });
}
