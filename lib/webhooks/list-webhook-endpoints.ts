import { desc } from "drizzle-orm";
import type { Database } from "@/db/client";
import { webhookEndpoints, type WebhookEndpoint } from "@/db/schema";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { webhookEndpointCountColumns, type WebhookEndpointCounts } from "./webhook-endpoint-counts";

export type WebhookEndpointWithCounts = WebhookEndpoint & WebhookEndpointCounts;

/** Every endpoint, newest first, with its undelivered and failed counts (admin). */
export async function listWebhookEndpoints(db: Database, actor: Actor): Promise<WebhookEndpointWithCounts[]> {
  assertCan(actor, "manage_webhooks");
  const rows = await db
    .select({ endpoint: webhookEndpoints, ...webhookEndpointCountColumns })
    .from(webhookEndpoints)
    .orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id));
  return rows.map((r) => ({ ...r.endpoint, undelivered: r.undelivered, failed: r.failed }));
}
