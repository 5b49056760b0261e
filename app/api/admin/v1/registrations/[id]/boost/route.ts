import { adminRoute } from "@/app/_server/route";
import { idParams } from "@/lib/batches/admin.schema";
import { boostRegistration } from "@/lib/registrations/staff-actions";
import { boostRegistrationInput } from "@/lib/registrations/staff-actions.schema";

export const dynamic = "force-dynamic";

/** POST /api/admin/v1/registrations/{id}/boost {points, reason, category} — legacy_account is refused. */
export const POST = adminRoute(
  { permission: "manage_batches", params: idParams, body: boostRegistrationInput },
  async ({ params, body, actor, db }) => (await boostRegistration(db, actor, params.id, body)) ?? undefined,
);
