import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { batchFailures, batches, type Batch } from "@/db/schema";
import { AppError } from "@/lib/errors";

/** A batch as staff see it (the stored target list is left out: it can hold 100k entries). */
export function presentBatch(batch: Batch) {
  const { targets: _targets, ...params } = batch.params as Record<string, unknown>;
  return {
    id: batch.id,
    kind: batch.kind,
    status: batch.status,
    params,
    phaseId: batch.phaseId,
    requested: batch.requested,
    selected: batch.selected,
    invited: batch.invited,
    notified: batch.notified,
    failed: batch.failed,
    truncatedReason: batch.truncatedReason,
    error: batch.error,
    createdBy: batch.createdBy,
    createdAt: batch.createdAt.toISOString(),
    startedAt: batch.startedAt?.toISOString() ?? null,
    finishedAt: batch.finishedAt?.toISOString() ?? null,
    cancelledAt: batch.cancelledAt?.toISOString() ?? null,
  };
}

export async function getBatch(db: Database, batchId: string): Promise<Batch> {
  const [row] = await db.select().from(batches).where(eq(batches.id, batchId)).limit(1);
  if (!row) throw new AppError("not_found", "No such batch.");
  return row;
}

export async function listBatchFailures(db: Database, batchId: string, limit = 100) {
  return db
    .select({ registrationId: batchFailures.registrationId, input: batchFailures.input, reason: batchFailures.reason, createdAt: batchFailures.createdAt })
    .from(batchFailures)
    .where(eq(batchFailures.batchId, batchId))
    .orderBy(batchFailures.id)
    .limit(limit);
}
