import { adminRoute } from "@/app/_server/route";
import { idParams } from "@/lib/batches/admin.schema";
import { getBatch, listBatchFailures, presentBatch } from "@/lib/batches/queries";

export const dynamic = "force-dynamic";

/** GET /api/admin/v1/batches/{id} — live counters and the first failures. */
export const GET = adminRoute({ permission: "view", params: idParams }, async ({ params, db }) => {
  const batch = await getBatch(db, params.id);
  return { ...presentBatch(batch), failures: await listBatchFailures(db, batch.id) };
});
