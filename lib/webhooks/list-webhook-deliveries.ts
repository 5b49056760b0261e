// One endpoint's deliveries for the console: keyset pages on (created_at, id), newest first,
// optionally one status (the "failed" filter walks its own partial index).
import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { webhookDeliveries, webhookDeliveryStatus, webhookEventType, type WebhookDelivery } from "@/db/schema";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { type KeysetPage, toKeysetPage } from "@/lib/keyset";

export const webhookDeliveryListInput = z.object({
  endpointId: z.uuid(),
  status: z.enum(webhookDeliveryStatus.enumValues).optional(),
  type: z.enum(webhookEventType.enumValues).optional(),
  after: z.uuid().optional(),
  before: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type WebhookDeliveryListInput = z.input<typeof webhookDeliveryListInput>;

function beyond(cursorId: string, direction: "desc" | "asc"): SQL {
  const at = sql`(select created_at from webhook_deliveries where id = ${cursorId})`;
  return direction === "desc"
    ? sql`(${webhookDeliveries.createdAt}, ${webhookDeliveries.id}) < (${at}, ${cursorId}::uuid)`
    : sql`(${webhookDeliveries.createdAt}, ${webhookDeliveries.id}) > (${at}, ${cursorId}::uuid)`;
}

export async function listWebhookDeliveries(db: Database, actor: Actor, rawInput: WebhookDeliveryListInput): Promise<KeysetPage<WebhookDelivery, string>> {
  assertCan(actor, "manage_webhooks");
  const input = webhookDeliveryListInput.parse(rawInput);
  const conditions: SQL[] = [eq(webhookDeliveries.endpointId, input.endpointId)];
  if (input.status) conditions.push(eq(webhookDeliveries.status, input.status));
  if (input.type) conditions.push(eq(webhookDeliveries.eventType, input.type));
  const backwards = input.before !== undefined;
  const cursor = input.before ?? input.after;
  const direction = backwards ? "asc" : "desc";
  if (cursor !== undefined) conditions.push(beyond(cursor, direction));
  const order =
    direction === "desc" ? [desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id)] : [asc(webhookDeliveries.createdAt), asc(webhookDeliveries.id)];
  const fetched = await db
    .select()
    .from(webhookDeliveries)
    .where(and(...conditions))
    .orderBy(...order)
    .limit(input.limit + 1);
  return toKeysetPage(fetched, { limit: input.limit, backwards, fromCursor: cursor !== undefined });
}
