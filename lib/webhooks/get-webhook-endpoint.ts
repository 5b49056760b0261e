import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { webhookEndpoints } from "@/db/schema";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import type { WebhookEndpointWithCounts } from "./list-webhook-endpoints";
import { webhookEndpointCountColumns } from "./webhook-endpoint-counts";

export async function getWebhookEndpoint(db: Database, actor: Actor, endpointId: string): Promise<WebhookEndpointWithCounts> {
  assertCan(actor, "manage_webhooks");
  const [row] = await db
    .select({ endpoint: webhookEndpoints, ...webhookEndpointCountColumns })
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.id, endpointId))
    .limit(1);
  if (!row) throw new AppError("not_found", "No such webhook endpoint.");
  return { ...row.endpoint, undelivered: row.undelivered, failed: row.failed };
}
