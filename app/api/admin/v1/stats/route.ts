import { adminRoute } from "@/app/_server/route";
import { getOverviewCounts } from "@/lib/stats/overview";

export const dynamic = "force-dynamic";

/** GET /api/admin/v1/stats — the Overview's counts (registrations by status, invitations, members, active phase). */
export const GET = adminRoute({ permission: "view" }, async ({ db }) => getOverviewCounts(db));
