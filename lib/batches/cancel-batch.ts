import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { batches, type Batch } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";

/** Stops a queued or running batch: chunks already committed stay done. */
export async function cancelBatch(db: Database, actor: Actor, batchId: string): Promise<Batch> {
  assertCan(actor, "manage_batches");
  return db.transaction(async (tx) => {
    // Waits for an in-flight chunk (it holds this row) so the counters read are final.
    const [before] = await tx.select().from(batches).where(eq(batches.id, batchId)).for("update").limit(1);
    if (!before) throw new AppError("not_found", "No such batch.");
    if (before.status !== "queued" && before.status !== "running") {
      throw new AppError("invalid_state", `A ${before.status} batch cannot be cancelled.`);
    }
    const now = new Date();
    const [after] = await tx
      .update(batches)
      .set({ status: "cancelled", cancelledAt: now, cancelledBy: actor.staffId, finishedAt: now })
      .where(eq(batches.id, batchId))
      .returning();
    await recordAudit(tx, {
      actor,
      action: "batch.cancel",
      targetType: "batch",
      targetId: batchId,
      before: { status: before.status },
      after: { status: "cancelled", selected: after!.selected, invited: after!.invited },
    });
    return after!;
  });
}
