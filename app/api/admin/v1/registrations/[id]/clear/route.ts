import { adminRoute } from "@/app/_server/route";
import { idParams } from "@/lib/batches/admin.schema";
import { clearRegistration } from "@/lib/registrations/staff-actions";
import { clearRegistrationInput } from "@/lib/registrations/staff-actions.schema";

export const dynamic = "force-dynamic";

/** POST /api/admin/v1/registrations/{id}/clear {reason?} — release a hold. */
export const POST = adminRoute(
  { permission: "manage_registration", params: idParams, body: clearRegistrationInput.default({}) },
  async ({ params, body, actor, db }) => (await clearRegistration(db, actor, params.id, body)) ?? undefined,
);
