import { adminRoute } from "@/app/_server/route";
import { decodeBatchCursor, encodeBatchCursor, listBatchesQuery } from "@/lib/batches/admin.schema";
import { createBatchInput } from "@/lib/batches/batches.schema";
import { createBatch } from "@/lib/batches/create";
import { listBatches, presentBatch } from "@/lib/batches/queries";
import { AppError } from "@/lib/errors";
import { runBatch } from "@/jobs/definitions/admissions";
import { getProducer } from "@/jobs/producer";

export const dynamic = "force-dynamic";

/** GET /api/admin/v1/batches?status=&kind=&cursor=&limit= — newest first. */
export const GET = adminRoute({ permission: "view", query: listBatchesQuery }, async ({ query, db }) => {
  const cursor = query.cursor ? decodeBatchCursor(query.cursor) : undefined;
  if (cursor === null) throw new AppError("validation", "The cursor is not valid.", { fieldErrors: [{ path: "cursor", message: "not a cursor from this API" }] });
  const page = await listBatches(db, { status: query.status, kind: query.kind, cursor, limit: query.limit });
  return { items: page.items.map(presentBatch), nextCursor: page.nextCursor ? encodeBatchCursor(page.nextCursor) : null };
});

/**
 * POST /api/admin/v1/batches {kind, size?, filters?, phones?, amount?, dryRun?} with header
 * `Idempotency-Key`. dryRun → 200 {preview}; new batch → 201 {batch, preview}; the same key and
 * body again → 200 {batch}; the same key with another body → 409.
 */
export const POST = adminRoute({ permission: "manage_batches", body: createBatchInput }, async ({ body, actor, db, request }) => {
  const result = await createBatch(db, actor, body, request.headers.get("idempotency-key"));
  if (result.dryRun) return { preview: result.preview };
  if (result.created) {
    // Best effort: when Redis is down the dispatcher job picks the queued batch up later.
    await getProducer()
      .enqueue(runBatch, { batchId: result.batch.id }, { jobId: result.batch.id })
      .catch(() => {});
  }
  return Response.json({ batch: presentBatch(result.batch), preview: result.preview }, { status: result.created ? 201 : 200 });
});
