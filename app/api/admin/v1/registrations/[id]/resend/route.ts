import { adminRoute } from "@/app/_server/route";
import { idParams } from "@/lib/batches/admin.schema";
import { resendInvitation } from "@/lib/invitations/staff-actions";

export const dynamic = "force-dynamic";

/** POST /api/admin/v1/registrations/{id}/resend — a new code for the open invitation; the old one dies. */
export const POST = adminRoute({ permission: "manage_registration", params: idParams }, async ({ params, actor, db }) => {
  const invitation = await resendInvitation(db, actor, params.id);
  return { invitationId: invitation.id, status: invitation.status, expiresAt: invitation.expiresAt.toISOString() };
});
