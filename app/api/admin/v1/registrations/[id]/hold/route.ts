import { adminRoute } from "@/app/_server/route";
import { idParams } from "@/lib/batches/admin.schema";
import { holdRegistration } from "@/lib/registrations/staff-actions";
import { holdRegistrationInput } from "@/lib/registrations/staff-actions.schema";

export const dynamic = "force-dynamic";

/** POST /api/admin/v1/registrations/{id}/hold {reason?} — keep it out of every batch. */
export const POST = adminRoute(
  { permission: "manage_registration", params: idParams, body: holdRegistrationInput.default({}) },
  async ({ params, body, actor, db }) => (await holdRegistration(db, actor, params.id, body)) ?? undefined,
);
