import { adminRoute } from "@/app/_server/route";
import { idParams } from "@/lib/batches/admin.schema";
import { reactivateRegistration } from "@/lib/invitations/staff-actions";
import { reactivateRemovedRegistrationInput } from "@/lib/registrations/staff-actions.schema";

export const dynamic = "force-dynamic";

/** POST /api/admin/v1/registrations/{id}/reactivate {reason?} — expired or removed → waiting. */
export const POST = adminRoute(
  { permission: "manage_registration", params: idParams, body: reactivateRemovedRegistrationInput.default({}) },
  async ({ params, body, actor, db }) => reactivateRegistration(db, actor, params.id, body),
);
