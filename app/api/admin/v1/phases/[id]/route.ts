import { adminRoute } from "@/app/_server/route";
import { idParams } from "@/lib/batches/admin.schema";
import { updatePhaseInput } from "@/lib/phases/phases.schema";
import { getPhase, listAllowedPhones, updatePhase } from "@/lib/phases/phases";
import { phoneForRole } from "@/lib/auth/roles";

export const dynamic = "force-dynamic";

/** GET /api/admin/v1/phases/{id} — with its employee allow-list (phones as the role may see them). */
export const GET = adminRoute({ permission: "view", params: idParams }, async ({ params, actor, db }) => {
  const phase = await getPhase(db, params.id);
  const allowed = await listAllowedPhones(db, phase.id);
  return { ...phase, allowedPhones: allowed.map((p) => phoneForRole(actor.role, p)) };
});

/** PATCH /api/admin/v1/phases/{id} — edit settings (not once closed). */
export const PATCH = adminRoute({ permission: "manage_phases", params: idParams, body: updatePhaseInput }, async ({ params, body, actor, db }) =>
  updatePhase(db, actor, params.id, body),
);
