import { adminRoute } from "@/app/_server/route";
import { idParams } from "@/lib/batches/admin.schema";
import { activatePhase } from "@/lib/phases/phases";

export const dynamic = "force-dynamic";

/** POST /api/admin/v1/phases/{id}/activate — closes the active phase, tops member quotas up. */
export const POST = adminRoute({ permission: "manage_phases", params: idParams }, async ({ params, actor, db }) => activatePhase(db, actor, params.id));
