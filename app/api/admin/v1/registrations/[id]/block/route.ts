import { adminRoute } from "@/app/_server/route";
import { idParams } from "@/lib/batches/admin.schema";
import { blockRegistration } from "@/lib/registrations/staff-actions";
import { blockRegistrationInput } from "@/lib/registrations/staff-actions.schema";

export const dynamic = "force-dynamic";

/** POST /api/admin/v1/registrations/{id}/block {reason} — the phone can never register again. */
export const POST = adminRoute(
  { permission: "manage_registration", params: idParams, body: blockRegistrationInput },
  async ({ params, body, actor, db }) => (await blockRegistration(db, actor, params.id, body)) ?? undefined,
);
