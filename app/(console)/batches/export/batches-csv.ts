// The batches CSV (apart from the route so tests can call it without a next-auth session).
import type { Database } from "@/db/client";
import type { Actor } from "@/lib/auth/roles";
import { batchListInput, type BatchListRow, iterateBatches, MAX_BATCH_PAGE } from "@/lib/batches/list-batches";
import { type CsvColumn, csvResponse } from "@/lib/csv";

/** The page's filters, without paging: the export is the whole filtered set. */
export const batchesExportQuery = batchListInput.omit({ after: true, before: true, limit: true });

const columns: CsvColumn<BatchListRow>[] = [
  { header: "created_at", value: (b) => b.createdAt },
  { header: "created_by", value: (b) => b.createdByEmail },
  { header: "kind", value: (b) => b.kind },
  { header: "status", value: (b) => b.status },
  { header: "requested", value: (b) => b.requested },
  { header: "selected", value: (b) => b.selected },
  { header: "invited", value: (b) => b.invited },
  { header: "notified", value: (b) => b.notified },
  { header: "failed", value: (b) => b.failed },
  { header: "truncated_reason", value: (b) => b.truncatedReason },
  { header: "error", value: (b) => b.error },
  { header: "finished_at", value: (b) => b.finishedAt },
  { header: "id", value: (b) => b.id },
];

export function batchesCsvResponse(db: Database, actor: Actor, query: Parameters<typeof iterateBatches>[2], pageSize = MAX_BATCH_PAGE): Response {
  return csvResponse("gatehouse-batches", columns, iterateBatches(db, actor, query, pageSize));
}
