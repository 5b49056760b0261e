import { adminRoute } from "@/app/_server/route";
import { createPhaseInput } from "@/lib/phases/phases.schema";
import { createPhase, listPhases } from "@/lib/phases/phases";

export const dynamic = "force-dynamic";

/** GET /api/admin/v1/phases — every phase, newest first. */
export const GET = adminRoute({ permission: "view" }, async ({ db }) => ({ items: await listPhases(db) }));

/** POST /api/admin/v1/phases — a new draft phase. */
export const POST = adminRoute({ permission: "manage_phases", body: createPhaseInput }, async ({ body, actor, db }) =>
  Response.json(await createPhase(db, actor, body), { status: 201 }),
);
