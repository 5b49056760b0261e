import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { webhookEndpoints, type WebhookEndpoint } from "@/db/schema";
import { AppError } from "@/lib/errors";

/** The endpoint row, locked for the caller's transaction; 404 when there is none. */
export async function lockWebhookEndpoint(tx: Database, endpointId: string): Promise<WebhookEndpoint> {
  const [row] = await tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId)).for("update").limit(1);
  if (!row) throw new AppError("not_found", "No such webhook endpoint.");
  return row;
}
