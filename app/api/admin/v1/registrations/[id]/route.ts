import { adminRoute } from "@/app/_server/route";
import { idParams } from "@/lib/batches/admin.schema";
import { getRegistrationForStaff } from "@/lib/invitations/staff-registration-view";

export const dynamic = "force-dynamic";

/** GET /api/admin/v1/registrations/{id} — with position, invitations and membership. */
export const GET = adminRoute({ permission: "view", params: idParams }, async ({ params, actor, db }) => {
  return getRegistrationForStaff(db, actor, params.id);
});
