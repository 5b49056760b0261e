import { adminRoute } from "@/app/_server/route";
import { idParams } from "@/lib/batches/admin.schema";
import { getRegistrationDetail } from "@/lib/registrations/registration-detail";

export const dynamic = "force-dynamic";

/** GET /api/admin/v1/registrations/{id} — position and why, invitations, membership, timeline. */
export const GET = adminRoute({ permission: "view", params: idParams }, async ({ params, actor, db }) => getRegistrationDetail(db, actor, params.id));
