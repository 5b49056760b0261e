import { adminRoute } from "@/app/_server/route";
import { listRegistrationsForStaff, listRegistrationsQuery } from "@/lib/invitations/staff-registration-view";

export const dynamic = "force-dynamic";

/** GET /api/admin/v1/registrations?status=&q=&cursor=&limit= */
export const GET = adminRoute({ permission: "view", query: listRegistrationsQuery }, async ({ query, actor, db }) => {
  return listRegistrationsForStaff(db, actor, query);
});
