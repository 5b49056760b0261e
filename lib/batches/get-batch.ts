import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { batchFailures, batches, type Batch } from "@/db/schema";
import { targetInputForRole } from "@/lib/auth/mask-input";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";

/**
 * A batch as `actor` may see it (the stored target list is left out: it can hold 100k entries).
 * A targeted batch's phones are masked for roles without full-phone access (SPEC §3.8).
 */
export function presentBatch(batch: Batch, actor: Pick<Actor, "role">) {
  const { targets: _targets, ...params } = batch.params as Record<string, unknown>;
  if (Array.isArray(params.phones)) params.phones = params.phones.map((p) => (typeof p === "string" ? targetInputForRole(actor.role, p) : p));
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

/** A batch's first failures; the entries as typed are masked as the actor's role requires. */
export async function listBatchFailures(db: Database, actor: Actor, batchId: string, limit = 100) {
  assertCan(actor, "view");
  const rows = await db
    .select({ registrationId: batchFailures.registrationId, input: batchFailures.input, reason: batchFailures.reason, createdAt: batchFailures.createdAt })
    .from(batchFailures)
    .where(eq(batchFailures.batchId, batchId))
    .orderBy(batchFailures.id)
    .limit(limit);
  return rows.map((row) => ({ ...row, input: targetInputForRole(actor.role, row.input) }));
}
