// Progress of the batches operators watch (the metrics endpoint): those queued or running, and
// those finished in the last minutes so a scrape still sees how they ended. Batches are few (one
// per staff decision); the statement reads at most `limit` of them.
import { desc, gt, inArray, or } from "drizzle-orm";
import type { Database } from "@/db/client";
import { batches } from "@/db/schema";

export interface BatchProgress {
  id: string;
  kind: string;
  status: string;
  requested: number;
  selected: number;
  invited: number;
  notified: number;
  failed: number;
}

export async function listBatchProgress(db: Database, options: { finishedWithinMs?: number; limit?: number } = {}): Promise<BatchProgress[]> {
  const since = new Date(Date.now() - (options.finishedWithinMs ?? 15 * 60_000));
  return db
    .select({
      id: batches.id,
      kind: batches.kind,
      status: batches.status,
      requested: batches.requested,
      selected: batches.selected,
      invited: batches.invited,
      notified: batches.notified,
      failed: batches.failed,
    })
    .from(batches)
    .where(or(inArray(batches.status, ["queued", "running"]), gt(batches.finishedAt, since)))
    .orderBy(desc(batches.createdAt))
    .limit(options.limit ?? 50);
}
