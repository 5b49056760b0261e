import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { webhookEndpoints } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { lockWebhookEndpoint } from "./lock-webhook-endpoint";

/**
 * Removes an endpoint and its deliveries (admin). A job of it still in the queue finds no row
 * and does nothing; the audit row keeps what it was.
 */
export async function deleteWebhookEndpoint(db: Database, actor: Actor, endpointId: string): Promise<void> {
  assertCan(actor, "manage_webhooks");
  await db.transaction(async (tx) => {
    const before = await lockWebhookEndpoint(tx, endpointId);
    await tx.delete(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId));
    await recordAudit(tx, {
      actor,
      action: "webhook.delete",
      targetType: "webhook_endpoint",
      targetId: endpointId,
      before: { url: before.url, events: before.events, includePhone: before.includePhone, status: before.status },
    });
  });
}
