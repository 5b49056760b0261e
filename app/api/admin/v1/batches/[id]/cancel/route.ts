import { adminRoute } from "@/app/_server/route";
import { idParams } from "@/lib/batches/admin.schema";
import { cancelBatch } from "@/lib/batches/create";
import { presentBatch } from "@/lib/batches/queries";

export const dynamic = "force-dynamic";

/** POST /api/admin/v1/batches/{id}/cancel — stops it; chunks already done stay done. */
export const POST = adminRoute({ permission: "manage_batches", params: idParams }, async ({ params, actor, db }) => {
  return presentBatch(await cancelBatch(db, actor, params.id));
});
