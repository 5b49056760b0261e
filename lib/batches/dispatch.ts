import { and, eq, lt } from "drizzle-orm";
import type { Database } from "@/db/client";
import { batches } from "@/db/schema";

/** Batches created a while ago that no worker has started (their enqueue was lost). */
export async function findUndispatchedBatches(db: Database, olderThanMs = 30_000, now = new Date()): Promise<string[]> {
  const rows = await db
    .select({ id: batches.id })
    .from(batches)
    .where(and(eq(batches.status, "queued"), lt(batches.createdAt, new Date(now.getTime() - olderThanMs))))
    .limit(100);
  return rows.map((r) => r.id);
}
