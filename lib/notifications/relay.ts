// The outbox relay: moves committed `pending` notifications into the queue. Each pass locks a
// chunk with FOR UPDATE SKIP LOCKED (so several relays share the work and a row committed late,
// with an older created_at, is still found: there is no position cursor), hands it to
// `enqueue`, and marks it `queued` in the same transaction only if enqueueing succeeded. If
// Redis is down, enqueue throws, the transaction rolls back and the rows stay `pending`. Job
// ids are notification ids, so re-adding rows after a crash between enqueue and commit is a
// no-op in the queue.
import { and, asc, eq, inArray, lt, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { notifications, type NotificationChannel, type NotificationKind } from "@/db/schema";

export interface RelayedNotification {
  id: string;
  channel: NotificationChannel;
  kind: NotificationKind;
  /**
   * The row was tried before (staff retried it): a finished job with the same id may still sit
   * in the queue's retained jobs and must be replaced rather than deduplicated against.
   */
  redelivery: boolean;
  /** The request that wrote the row (notifications.request_id): its delivery job carries it. */
  requestId: string | null;
}

export type EnqueueNotifications = (rows: RelayedNotification[]) => Promise<void>;

export const DEFAULT_RELAY_CHUNK = 1000;

/** One relay pass over at most `chunkSize` rows; returns how many were queued. */
export async function relayPendingNotifications(
  db: Database,
  options: { enqueue: EnqueueNotifications; chunkSize?: number },
): Promise<number> {
  const chunkSize = options.chunkSize ?? DEFAULT_RELAY_CHUNK;
  return db.transaction(async (tx) => {
    const rows = await tx
      .select({
        id: notifications.id,
        channel: notifications.channel,
        kind: notifications.kind,
        attempts: notifications.attempts,
        requestId: notifications.requestId,
      })
      .from(notifications)
      .where(eq(notifications.status, "pending"))
      .orderBy(asc(notifications.createdAt))
      .limit(chunkSize)
      .for("update", { skipLocked: true });
    if (rows.length === 0) return 0;
    await options.enqueue(rows.map((r) => ({ id: r.id, channel: r.channel, kind: r.kind, redelivery: r.attempts > 0, requestId: r.requestId })));
    await tx
      .update(notifications)
      .set({ status: "queued", queuedAt: sql`now()`, updatedAt: sql`now()` })
      .where(
        and(
          inArray(
            notifications.id,
            rows.map((r) => r.id),
          ),
          eq(notifications.status, "pending"),
        ),
      );
    return rows.length;
  });
}

/**
 * Repairs rows left `queued` by a Redis that lost data (failover, restart without persistence):
 * rows queued longer than `olderThanMs` are checked against the queue; `findMissing` returns
 * those with no live job, which are re-enqueued (idempotent by job id). Rows found alive are
 * touched so the next check of them waits another `olderThanMs`. Returns how many were re-added.
 */
export async function repairQueuedNotifications(
  db: Database,
  options: {
    olderThanMs: number;
    limit?: number;
    findMissing: (rows: RelayedNotification[]) => Promise<RelayedNotification[]>;
    enqueue: EnqueueNotifications;
  },
): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .select({ id: notifications.id, channel: notifications.channel, kind: notifications.kind, requestId: notifications.requestId })
      .from(notifications)
      .where(
        and(
          eq(notifications.status, "queued"),
          lt(notifications.updatedAt, sql`now() - make_interval(secs => ${options.olderThanMs / 1000})`),
        ),
      )
      .orderBy(asc(notifications.updatedAt))
      .limit(options.limit ?? DEFAULT_RELAY_CHUNK)
      .for("update", { skipLocked: true });
    if (rows.length === 0) return 0;
    // A job that finished while its row stayed `queued` is replaced too, hence redelivery.
    const missing = await options.findMissing(rows.map((r) => ({ ...r, redelivery: true })));
    if (missing.length > 0) await options.enqueue(missing);
    await tx
      .update(notifications)
      .set({ updatedAt: sql`now()` })
      .where(
        and(
          inArray(
            notifications.id,
            rows.map((r) => r.id),
          ),
          eq(notifications.status, "queued"),
        ),
      );
    return missing.length;
  });
}

/**
 * Claims older than `olderThanMs` whose worker never reported back (it died mid-send) become
 * `unknown`: the provider may or may not have the message, so it is not resent automatically.
 */
export async function markStaleClaimsUnknown(db: Database, options: { olderThanMs: number }): Promise<number> {
  const rows = await db
    .update(notifications)
    .set({ status: "unknown", lastError: "worker stopped during the provider call", updatedAt: sql`now()` })
    .where(
      and(
        eq(notifications.status, "sending"),
        lt(notifications.updatedAt, sql`now() - make_interval(secs => ${options.olderThanMs / 1000})`),
      ),
    )
    .returning({ id: notifications.id });
  return rows.length;
}
