// The batches CSV (apart from the route so tests can call it without a next-auth session).
import type { Database } from "@/db/client";
import type { Actor } from "@/lib/auth/roles";
import { batchListInput, iterateBatches } from "@/lib/batches/list-batches";
import { csvResponse } from "@/lib/http/csv";

/** The page's filters, without paging: the export is the whole filtered set. */
export const batchesExportQuery = batchListInput.omit({ after: true, before: true, limit: true });

export function batchesCsvResponse(db: Database, actor: Actor, query: Parameters<typeof iterateBatches>[2], pageSize = 1_000): Response {
  async function* rows() {
    for await (const page of iterateBatches(db, actor, query, pageSize)) {
      for (const b of page) {
        yield [b.createdAt, b.createdByEmail, b.kind, b.status, b.requested, b.selected, b.invited, b.notified, b.failed, b.truncatedReason, b.error, b.finishedAt, b.id];
      }
    }
  }
  const stamp = new Date().toISOString().slice(0, 19).replaceAll(":", "-");
  return csvResponse(
    `gatehouse-batches-${stamp}.csv`,
    ["created_at", "created_by", "kind", "status", "requested", "selected", "invited", "notified", "failed", "truncated_reason", "error", "finished_at", "id"],
    rows(),
  );
}
