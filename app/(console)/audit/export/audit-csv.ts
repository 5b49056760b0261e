// The audit CSV (apart from the route so tests can call it without a next-auth session).
import type { Database } from "@/db/client";
import type { Actor } from "@/lib/auth/roles";
import { auditListInput, iterateAuditEvents } from "@/lib/audit/list-audit-events";
import { csvResponse } from "@/lib/http/csv";

/** The page's filters and sort, without paging: the export is the whole filtered set. */
export const auditExportQuery = auditListInput.omit({ after: true, before: true, limit: true });

export function auditCsvResponse(db: Database, actor: Actor, query: Parameters<typeof iterateAuditEvents>[2], pageSize = 1_000): Response {
  async function* rows() {
    for await (const page of iterateAuditEvents(db, actor, query, pageSize)) {
      for (const e of page) yield [e.createdAt, e.actorLabel, e.action, e.targetType, e.targetId, e.before, e.after, e.requestId, e.id];
    }
  }
  const stamp = new Date().toISOString().slice(0, 19).replaceAll(":", "-");
  return csvResponse(
    `gatehouse-audit-${stamp}.csv`,
    ["created_at", "actor", "action", "target_type", "target_id", "before", "after", "request_id", "id"],
    rows(),
  );
}
