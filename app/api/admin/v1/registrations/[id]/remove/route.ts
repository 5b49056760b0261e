import { adminRoute } from "@/app/_server/route";
import { idParams } from "@/lib/batches/admin.schema";
import { removeRegistration } from "@/lib/registrations/staff-actions";
import { removeRegistrationInput } from "@/lib/registrations/staff-actions.schema";

export const dynamic = "force-dynamic";

/** POST /api/admin/v1/registrations/{id}/remove {reason} */
export const POST = adminRoute(
  { permission: "manage_registration", params: idParams, body: removeRegistrationInput },
  async ({ params, body, actor, db }) => (await removeRegistration(db, actor, params.id, body)) ?? undefined,
);
