// The audit CSV (apart from the route so tests can call it without a next-auth session).
import type { Database } from "@/db/client";
import type { Actor } from "@/lib/auth/roles";
import type { AuditEvent } from "@/db/schema";
import { auditListInput, iterateAuditEvents } from "@/lib/audit/list-audit-events";
import { type CsvColumn, csvResponse } from "@/lib/csv";

/** The page's filters and sort, without paging: the export is the whole filtered set. */
export const auditExportQuery = auditListInput.omit({ after: true, before: true, limit: true });

const columns: CsvColumn<AuditEvent>[] = [
  { header: "created_at", value: (e) => e.createdAt },
  { header: "actor", value: (e) => e.actorLabel },
  { header: "action", value: (e) => e.action },
  { header: "target_type", value: (e) => e.targetType },
  { header: "target_id", value: (e) => e.targetId },
  { header: "before", value: (e) => e.before },
  { header: "after", value: (e) => e.after },
  { header: "request_id", value: (e) => e.requestId },
  { header: "id", value: (e) => e.id },
];

export function auditCsvResponse(db: Database, actor: Actor, query: Parameters<typeof iterateAuditEvents>[2], pageSize = 1_000): Response {
  return csvResponse("gatehouse-audit", columns, iterateAuditEvents(db, actor, query, pageSize));
}
