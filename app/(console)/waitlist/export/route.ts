import { sessionStaffId } from "@/app/_server/auth";
import { consoleRoute } from "@/app/_server/console-route";
import { waitlistCsvResponse, waitlistExportQuery } from "./waitlist-csv";

export const dynamic = "force-dynamic";

/** GET /waitlist/export?<the Waitlist page's filters> — the filtered set as a streamed CSV (audited). */
export const GET = consoleRoute({ permission: "view", query: waitlistExportQuery, sessionStaffId }, ({ db, actor, query }) =>
  waitlistCsvResponse(db, actor, query),
);
