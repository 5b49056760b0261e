// The database half of the console's "Notifications & queues" page: notifications per status
// and the age of the oldest pending and queued ones. (Queue counts, throughput and workers come
// from Redis: jobs/queue-stats.ts.)
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { notificationStatus, type NotificationStatus } from "@/db/schema";
import { COUNT_CAP } from "@/lib/list-count";

export interface NotificationCounts {
  byStatus: Record<NotificationStatus, number>;
  /** `sent` is the planner's estimate of the table less the other statuses (a large table). */
  sentEstimated: boolean;
  /** Seconds since the oldest `pending` row was written; null when none is pending. */
  oldestPendingAgeSeconds: number | null;
  /** Seconds since the oldest `queued` row was queued; null when none. */
  oldestQueuedAgeSeconds: number | null;
}

export async function countNotificationsByStatus(db: Database): Promise<NotificationCounts> {
  const [[counts], [ages]] = await Promise.all([
    // Each status but `sent` through its partial index (they stay small while the pipeline keeps
    // up). `sent` grows without bound: counted while the table is small, estimated beyond.
    db.execute<Omit<Record<NotificationStatus, number>, "sent"> & { total_estimate: number }>(sql`
      select
        (select count(*)::int from notifications where status = 'pending') as pending,
        (select count(*)::int from notifications where status = 'queued') as queued,
        (select count(*)::int from notifications where status = 'sending') as sending,
        (select count(*)::int from notifications where status = 'failed') as failed,
        (select count(*)::int from notifications where status = 'unknown') as unknown,
        (select greatest(reltuples, 0)::bigint from pg_class where oid = 'notifications'::regclass) as total_estimate`),
    db.execute<{ pending: number | null; queued: number | null }>(sql`
      select
        (select extract(epoch from now() - min(created_at))::float8 from notifications where status = 'pending') as pending,
        (select extract(epoch from now() - min(queued_at))::float8 from notifications where status = 'queued') as queued`),
  ]);
  const { total_estimate: totalEstimate, ...unsent } = counts!;
  const unsentTotal = Object.values(unsent).reduce((a, b) => a + b, 0);
  const sentEstimated = totalEstimate > COUNT_CAP;
  const sent = sentEstimated
    ? Math.max(0, totalEstimate - unsentTotal)
    : ((await db.execute<{ n: number }>(sql`select count(*)::int as n from notifications where status = 'sent'`))[0]?.n ?? 0);
  const byStatus = Object.fromEntries(notificationStatus.enumValues.map((s) => [s, 0])) as Record<NotificationStatus, number>;
  Object.assign(byStatus, unsent, { sent });

  return {
    byStatus,
    sentEstimated,
    oldestPendingAgeSeconds: ages?.pending == null ? null : Math.round(ages.pending),
    oldestQueuedAgeSeconds: ages?.queued == null ? null : Math.round(ages.queued),
  };
}
