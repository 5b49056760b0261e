import { adminRoute } from "@/app/_server/route";
import { idParams } from "@/lib/batches/admin.schema";
import { closePhase } from "@/lib/phases/phases";

export const dynamic = "force-dynamic";

/** POST /api/admin/v1/phases/{id}/close */
export const POST = adminRoute({ permission: "manage_phases", params: idParams }, async ({ params, actor, db }) => closePhase(db, actor, params.id));
