import { and, eq, inArray, lt, or } from "drizzle-orm";
import type { Database } from "@/db/client";
import { batches } from "@/db/schema";

/**
 * Batches that should be running but may have no job: `queued` ones created a while ago (their
 * enqueue was lost: Redis was down at creation) and every `running` one (its job may have been
 * lost with a Redis that restarted empty, or failed for good through an outage). The dispatcher
 * enqueues those of them without a live job; a second runner of a batch is harmless anyway (the
 * chunks serialize on the batch row and re-read its counters).
 */
export async function findUndispatchedBatches(db: Database, olderThanMs = 30_000, now = new Date()): Promise<string[]> {
  const rows = await db
    .select({ id: batches.id })
    .from(batches)
    .where(or(and(eq(batches.status, "queued"), lt(batches.createdAt, new Date(now.getTime() - olderThanMs))), inArray(batches.status, ["running"])))
    .limit(100);
  return rows.map((r) => r.id);
}
