import { z } from "zod";
import { adminRoute } from "@/app/_server/route";
import { listRegistrations, registrationListInput } from "@/lib/registrations/list-registrations";

export const dynamic = "force-dynamic";

/** SPEC §6 names the page cursor `cursor`: the id of the last row of the previous page. */
const listQuery = registrationListInput.omit({ after: true, before: true }).extend({ cursor: z.uuid().optional() });

/** GET /api/admin/v1/registrations?status=&q=&cursor=&limit= (also country, platform, review, legacy, sort, dir). */
export const GET = adminRoute({ permission: "view", query: listQuery }, async ({ query, actor, db }) => {
  const { cursor, ...filters } = query;
  const page = await listRegistrations(db, actor, { ...filters, after: cursor });
  return { items: page.rows, order: page.order, dir: page.dir, nextCursor: page.nextCursor, searchNote: page.searchNote };
});
