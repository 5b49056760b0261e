import { sessionStaffId } from "@/app/_server/auth";
import { consoleRoute } from "@/app/_server/console-route";
import { batchesCsvResponse, batchesExportQuery } from "./batches-csv";

export const dynamic = "force-dynamic";

/** GET /batches/export?status=&kind= — the filtered batches list as CSV. */
export const GET = consoleRoute({ permission: "view", query: batchesExportQuery, sessionStaffId }, ({ db, actor, query }) =>
  batchesCsvResponse(db, actor, query),
);
