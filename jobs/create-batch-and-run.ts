// Creating a batch from a request (the console's form, the admin API): the batch commits, then
// its run is queued. Best effort: the producer fails fast while Redis is down, so the answer is
// never held — the dispatcher job (jobs/processors/admissions.ts) queues batches still `queued`
// a little later. The job id is the batch id, so a second enqueue is a no-op.
import type { Database } from "@/db/client";
import type { Actor } from "@/lib/auth/roles";
import type { CreateBatchInput } from "@/lib/batches/batches.schema";
import { createBatch, type CreateBatchResult } from "@/lib/batches/create-batch";
import { runBatch } from "./definitions/admissions";
import { getProducer } from "./producer";

export async function createBatchAndRun(db: Database, actor: Actor, body: CreateBatchInput, idempotencyKey: string | null): Promise<CreateBatchResult> {
  const result = await createBatch(db, actor, body, idempotencyKey);
  if (!result.dryRun && result.created) {
    await getProducer()
      .enqueue(runBatch, { batchId: result.batch.id }, { jobId: result.batch.id })
      .catch(() => {});
  }
  return result;
}
