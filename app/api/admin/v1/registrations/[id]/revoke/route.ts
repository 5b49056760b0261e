import { adminRoute } from "@/app/_server/route";
import { idParams } from "@/lib/batches/admin.schema";
import { revokeInvitation, revokeInvitationInput } from "@/lib/invitations/staff-actions";

export const dynamic = "force-dynamic";

/** POST /api/admin/v1/registrations/{id}/revoke {reason?} — withdraw the open invitation; back to waiting. */
export const POST = adminRoute(
  { permission: "manage_registration", params: idParams, body: revokeInvitationInput },
  async ({ params, body, actor, db }) => {
    await revokeInvitation(db, actor, params.id, body.reason);
    return { status: "waiting" };
  },
);
