// Events go into the webhook outbox in the transaction of the change they report, so an event
// is committed exactly when its cause is (never lost, never announced for a rolled-back change).
// One row per subscribed endpoint; none at all when nobody subscribes to the type. Each row keeps
// the id of the request being handled, which the relay hands on to the delivery job.
import { type SQL, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { requestIdFor } from "@/lib/log";
import type { WebhookEventType } from "@/db/schema";
import type { WebhookEventData } from "./webhook-events.schema";

const timestamp = (at: Date | undefined) => (at ? sql`${at.toISOString()}::timestamptz` : sql`now()`);

/** One event, in one statement: an INSERT … SELECT over the endpoints subscribed to its type. */
export async function recordWebhookEvent<T extends WebhookEventType>(
  tx: Database,
  type: T,
  data: WebhookEventData<T>,
  options: { occurredAt?: Date; requestId?: string } = {},
): Promise<void> {
  await tx.execute(sql`
    insert into webhook_deliveries (endpoint_id, event_type, data, occurred_at, request_id)
    select e.id, ${type}::webhook_event_type, ${JSON.stringify(data)}::jsonb, ${timestamp(options.occurredAt)}, ${requestIdFor(options.requestId)}::text
    from webhook_endpoints e where ${type}::webhook_event_type = any(e.events)`);
}

/**
 * Endpoints subscribed to `type`, for a bulk statement that writes many events at once (a batch
 * chunk, the expiry sweep): read once per chunk, and when the list is empty the statement
 * carries no webhook part at all.
 */
export async function subscribedEndpointIds(tx: Database, type: WebhookEventType): Promise<string[]> {
  const rows = await tx.execute<{ id: string }>(sql`select id from webhook_endpoints where ${type}::webhook_event_type = any(events)`);
  return rows.map((r) => r.id);
}

/**
 * A data-modifying CTE body for a bulk statement: one delivery per row of `events` (a SELECT of
 * one jsonb column named `data`, e.g. over another CTE's RETURNING) and per endpoint.
 */
export function webhookDeliveriesInsertSql(
  type: WebhookEventType,
  endpointIds: string[],
  events: SQL,
  options: { occurredAt?: Date; requestId?: string } = {},
): SQL {
  return sql`
    insert into webhook_deliveries (endpoint_id, event_type, data, occurred_at, request_id)
    select e.id, ${type}::webhook_event_type, ev.data, ${timestamp(options.occurredAt)}, ${requestIdFor(options.requestId)}::text
    from (${events}) ev cross join unnest(${sql.param(endpointIds)}::uuid[]) as e(id)
    returning 1`;
}
