// The webhook half of the outbox relay: due `pending` deliveries of enabled endpoints go into
// the queue. Like the notification relay, a pass locks its rows (SKIP LOCKED: several relays
// share the work), hands them to `enqueue`, and marks them `queued` in the same transaction only
// if enqueueing succeeded — while Redis is down they simply stay `pending`. Every relay gets a
// new job id (`<id>-<enqueues>`), so a finished job of an earlier round never swallows it.
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";

export interface RelayedWebhookDelivery {
  deliveryId: string;
  jobId: string;
  /** The request that raised the event (webhook_deliveries.request_id): its delivery job carries it. */
  requestId: string | null;
}

export type EnqueueWebhookDeliveries = (rows: RelayedWebhookDelivery[]) => Promise<void>;

export const webhookJobId = (deliveryId: string, enqueues: number) => `${deliveryId}-${enqueues}`;

/** One pass: at most `chunkSize` due deliveries per enabled endpoint, oldest due first. */
export async function relayDueWebhookDeliveries(db: Database, options: { enqueue: EnqueueWebhookDeliveries; chunkSize?: number }): Promise<number> {
  const chunkSize = options.chunkSize ?? 1000;
  return db.transaction(async (tx) => {
    // Per endpoint through the due index: a disabled endpoint's backlog is never walked.
    const rows = await tx.execute<{ id: string; enqueues: number; request_id: string | null }>(sql`
      select d.id, d.enqueues, d.request_id from webhook_endpoints e
      cross join lateral (
        select d.id, d.enqueues, d.request_id from webhook_deliveries d
        where d.endpoint_id = e.id and d.status = 'pending' and d.next_attempt_at <= now()
        order by d.next_attempt_at
        limit ${chunkSize}
        for update of d skip locked
      ) d
      where e.status = 'enabled'`);
    if (rows.length === 0) return 0;
    await options.enqueue(rows.map((r) => ({ deliveryId: r.id, jobId: webhookJobId(r.id, r.enqueues + 1), requestId: r.request_id })));
    await tx.execute(sql`
      update webhook_deliveries set status = 'queued', enqueues = enqueues + 1, updated_at = now()
      where id = any(${sql.param(rows.map((r) => r.id))}::uuid[]) and status = 'pending'`);
    return rows.length;
  });
}

/**
 * Deliveries left `queued` longer than `olderThanMs` whose job is gone (Redis lost it) or
 * finished without sending go back to `pending`, so the relay queues them again. Rows found
 * alive are touched, so they are looked at again only after another `olderThanMs`.
 */
export async function repairQueuedWebhookDeliveries(
  db: Database,
  options: { olderThanMs: number; limit?: number; findMissing: (jobIds: string[]) => Promise<Set<string>> },
): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx.execute<{ id: string; enqueues: number }>(sql`
      select id, enqueues from webhook_deliveries
      where status = 'queued' and updated_at < now() - make_interval(secs => ${options.olderThanMs / 1000})
      order by updated_at
      limit ${options.limit ?? 1000}
      for update skip locked`);
    if (rows.length === 0) return 0;
    const missing = await options.findMissing(rows.map((r) => webhookJobId(r.id, r.enqueues)));
    const lost = rows.filter((r) => missing.has(webhookJobId(r.id, r.enqueues))).map((r) => r.id);
    await tx.execute(sql`
      update webhook_deliveries
      set status = case when id = any(${sql.param(lost)}::uuid[]) then 'pending'::webhook_delivery_status else status end,
          updated_at = now()
      where id = any(${sql.param(rows.map((r) => r.id))}::uuid[]) and status = 'queued'`);
    return lost.length;
  });
}
