import { adminRoute } from "@/app/_server/route";
import { idParams } from "@/lib/batches/admin.schema";
import { schedulePhaseInput } from "@/lib/phases/phases.schema";
import { schedulePhase } from "@/lib/phases/phases";

export const dynamic = "force-dynamic";

/** POST /api/admin/v1/phases/{id}/schedule {startsAt} — the scheduler activates it then. */
export const POST = adminRoute({ permission: "manage_phases", params: idParams, body: schedulePhaseInput }, async ({ params, body, actor, db }) =>
  schedulePhase(db, actor, params.id, body),
);
