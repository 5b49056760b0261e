// Admin API: batches (SPEC §6). Create is idempotent by the `Idempotency-Key` header.
import { z } from "zod";
import { createBatchAndRun } from "@/jobs/create-batch-and-run";
import { idParams } from "@/lib/http/params";
import { createBatchInput } from "@/lib/batches/batches.schema";
import { cancelBatch } from "@/lib/batches/cancel-batch";
import { batchListInput, listBatchesPage } from "@/lib/batches/list-batches";
import { getBatch, listBatchFailures, presentBatch } from "@/lib/batches/get-batch";
import { batchCreatedSchema, batchDetailSchema, batchListSchema, batchPreviewAnswerSchema, batchSchema } from "@/lib/batches/batch-responses.schema";
import { shapeResponse } from "@/lib/http/shape-response";
import { uuid } from "@/lib/validation/fields";
import { adminRoute, reply, type RouteDefinition } from "./define-route";

/** `cursor` = the id of the last batch of the previous page. */
const listQuery = batchListInput.omit({ after: true, before: true }).extend({ cursor: uuid().optional() });

export const adminBatchRoutes: RouteDefinition[] = [
  adminRoute(
    {
      id: "listBatches",
      method: "GET",
      path: "/api/admin/v1/batches",
      tags: ["batches"],
      summary: "Batches, newest first (filters: status, kind; keyset `cursor`)",
      permission: "view",
      query: listQuery,
      responses: { 200: { description: "A page of batches", schema: batchListSchema } },
    },
    async ({ query, actor, db }) => {
      const { cursor, ...filters } = query;
      const page = await listBatchesPage(db, actor, { ...filters, after: cursor });
      return shapeResponse(batchListSchema, {
        items: page.rows.map((b) => ({ ...presentBatch(b, actor), createdByEmail: b.createdByEmail })),
        nextCursor: page.nextCursor,
      });
    },
  ),
  adminRoute(
    {
      id: "createBatch",
      method: "POST",
      path: "/api/admin/v1/batches",
      tags: ["batches"],
      summary: "Create a batch (or preview it with dryRun)",
      description:
        "Header `Idempotency-Key` required. dryRun → 200 {preview}; a new batch → 201 {batch, preview}; the same key and body again → 200 {batch}; the same key with another body → 409.",
      permission: "manage_batches",
      body: createBatchInput,
      responses: {
        200: { description: "A preview (dryRun), or the batch this key already created", schema: z.union([batchPreviewAnswerSchema, batchCreatedSchema]) },
        201: { description: "The batch, queued", schema: batchCreatedSchema },
      },
      errors: [409],
    },
    async ({ body, actor, db, headers }) => {
      const result = await createBatchAndRun(db, actor, body, headers.get("idempotency-key"));
      if (result.dryRun) return shapeResponse(batchPreviewAnswerSchema, { preview: result.preview });
      return reply(result.created ? 201 : 200, shapeResponse(batchCreatedSchema, { batch: presentBatch(result.batch, actor), preview: result.preview }));
    },
  ),
  adminRoute(
    {
      id: "getBatch",
      method: "GET",
      path: "/api/admin/v1/batches/{id}",
      tags: ["batches"],
      summary: "A batch: live counters and the first failures",
      permission: "view",
      params: idParams,
      responses: { 200: { description: "The batch", schema: batchDetailSchema } },
      errors: [404],
    },
    async ({ params, actor, db }) => {
      const batch = await getBatch(db, params.id);
      return shapeResponse(batchDetailSchema, { ...presentBatch(batch, actor), failures: await listBatchFailures(db, actor, batch.id) });
    },
  ),
  adminRoute(
    {
      id: "cancelBatch",
      method: "POST",
      path: "/api/admin/v1/batches/{id}/cancel",
      tags: ["batches"],
      summary: "Cancel a batch; chunks already done stay done",
      permission: "manage_batches",
      params: idParams,
      responses: { 200: { description: "The batch, cancelled", schema: batchSchema } },
      errors: [404, 409],
    },
    async ({ params, actor, db }) => shapeResponse(batchSchema, presentBatch(await cancelBatch(db, actor, params.id), actor)),
  ),
];
