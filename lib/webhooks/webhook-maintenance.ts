// The periodic upkeep of the webhook outbox: claims a dead worker left behind are given back,
// and finished deliveries older than the retention period are deleted with their attempts.
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";

/**
 * `sending` claims older than `olderThanMs` (the worker died mid-attempt, or lost the database
 * before recording the answer) go back to `pending`, due at once: the delivery is sent again with
 * the same `webhook-id`. An attempt row says it was interrupted. Not counted as a failure: the
 * endpoint is not to blame.
 */
export async function releaseStaleWebhookClaims(db: Database, options: { olderThanMs: number }): Promise<number> {
  const [row] = await db.execute<{ n: number }>(sql`
    with stale as (
      update webhook_deliveries
      set status = 'pending', next_attempt_at = now(), last_error = 'interrupted: the worker stopped during the attempt', updated_at = now()
      where status = 'sending' and updated_at < now() - make_interval(secs => ${options.olderThanMs / 1000})
      returning id, claimed_at
    ), noted as (
      insert into webhook_attempts (delivery_id, started_at, error)
      select id, coalesce(claimed_at, now()), 'interrupted: no answer was recorded (the worker stopped); sent again' from stale
      returning 1
    )
    select count(*)::int as n from noted`);
  return row?.n ?? 0;
}

/**
 * Deletes delivered and failed deliveries older than the policy's retentionDays (their attempts
 * go with them): receivers' answers may quote personal data, and an admit of 100,000 leaves
 * 100,000 rows per endpoint. Pending deliveries are kept, however old: they are undelivered events.
 */
export async function purgeOldWebhookDeliveries(db: Database, options: { chunk?: number } = {}): Promise<number> {
  const chunk = options.chunk ?? 5_000;
  const endpoints = await db.execute<{ id: string }>(sql`select id from webhook_endpoints`);
  let total = 0;
  for (const { id } of endpoints) {
    for (;;) {
      const [row] = await db.execute<{ n: number }>(sql`
        with policy as (select retention_days from policy_settings where id = 1),
        old as (
          select d.id from webhook_deliveries d, policy
          where d.endpoint_id = ${id} and d.created_at < now() - make_interval(days => policy.retention_days)
            and d.status in ('delivered', 'failed')
          order by d.created_at
          limit ${chunk}
        ), gone as (
          delete from webhook_deliveries d using old where d.id = old.id returning 1
        )
        select count(*)::int as n from gone`);
      const n = row?.n ?? 0;
      total += n;
      if (n < chunk) break;
    }
  }
  return total;
}
