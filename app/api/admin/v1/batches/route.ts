import { z } from "zod";
import { adminRoute } from "@/app/_server/route";
import { createBatchInput } from "@/lib/batches/batches.schema";
import { createBatch } from "@/lib/batches/create";
import { batchListInput, listBatchesPage } from "@/lib/batches/list-batches";
import { presentBatch } from "@/lib/batches/queries";
import { runBatch } from "@/jobs/definitions/admissions";
import { getProducer } from "@/jobs/producer";

export const dynamic = "force-dynamic";

/** `cursor` = the id of the last batch of the previous page. */
const listQuery = batchListInput.omit({ after: true, before: true }).extend({ cursor: z.uuid().optional() });

/** GET /api/admin/v1/batches?status=&kind=&cursor=&limit= — newest first. */
export const GET = adminRoute({ permission: "view", query: listQuery }, async ({ query, actor, db }) => {
  const { cursor, ...filters } = query;
  const page = await listBatchesPage(db, actor, { ...filters, after: cursor });
  return { items: page.rows.map((b) => ({ ...presentBatch(b), createdByEmail: b.createdByEmail })), nextCursor: page.nextCursor };
});

/**
 * POST /api/admin/v1/batches {kind, size?, filters?, phones?, amount?, dryRun?} with header
 * `Idempotency-Key`. dryRun → 200 {preview}; new batch → 201 {batch, preview}; the same key and
 * body again → 200 {batch}; the same key with another body → 409.
 */
export const POST = adminRoute({ permission: "manage_batches", body: createBatchInput }, async ({ body, actor, db, request }) => {
  const result = await createBatch(db, actor, body, request.headers.get("idempotency-key"));
  if (result.dryRun) return { preview: result.preview };
  if (result.created) await enqueueRun(result.batch.id);
  return Response.json({ batch: presentBatch(result.batch), preview: result.preview }, { status: result.created ? 201 : 200 });
});

/**
 * Best effort: the batch is committed, and the producer fails fast while Redis is down, so the
 * answer is never held — the dispatcher job enqueues batches still `queued` a little later.
 */
async function enqueueRun(batchId: string): Promise<void> {
  await getProducer()
    .enqueue(runBatch, { batchId }, { jobId: batchId })
    .catch(() => {});
}
