import { sessionStaffId } from "@/app/_server/auth";
import { consoleRoute } from "@/app/_server/console-route";
import { auditCsvResponse, auditExportQuery } from "./audit-csv";

export const dynamic = "force-dynamic";

/** GET /audit/export?actor=&action=&targetType=&targetId=&dir= — the filtered audit log as CSV. */
export const GET = consoleRoute({ permission: "view", query: auditExportQuery, sessionStaffId }, ({ db, actor, query }) =>
  auditCsvResponse(db, actor, query),
);
