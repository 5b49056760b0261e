import { type SQL, sql } from "drizzle-orm";
import { webhookEndpoints } from "@/db/schema";

/** Counts stop here: the console shows "10,000+" rather than walking a backlog of millions. */
export const COUNT_CAP = 10_000;

export interface WebhookEndpointCounts {
  /** Waiting for their turn, in the queue or being sent (at most COUNT_CAP + 1). */
  undelivered: number;
  /** Gave up (at most COUNT_CAP + 1). */
  failed: number;
}

// Each count walks a partial index of the endpoint's rows in that state, at most COUNT_CAP + 1 of them.
const capped = (where: SQL) => sql`(select count(*)::int from (select 1 from webhook_deliveries d where ${where} limit ${COUNT_CAP + 1}) c)`;

/** Columns for a select over webhook_endpoints. */
export const webhookEndpointCountColumns = {
  undelivered: sql`${capped(sql`d.endpoint_id = ${webhookEndpoints.id} and d.status = 'pending'`)}
    + ${capped(sql`d.status in ('queued', 'sending') and d.endpoint_id = ${webhookEndpoints.id}`)}`.mapWith(Number),
  failed: capped(sql`d.endpoint_id = ${webhookEndpoints.id} and d.status = 'failed'`).mapWith(Number),
};
