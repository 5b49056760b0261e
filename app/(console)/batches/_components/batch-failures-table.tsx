"use client";

import { createColumnHelper } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import type { DataTableFeatures } from "@/components/data-table/features";
import { RelativeTime } from "@/components/relative-time";

/** A batch_failures row as the detail page sends it to the browser. */
export interface BatchFailureRow {
  key: string;
  registrationId: string | null;
  input: string | null;
  reason: string;
  createdAt: string;
}

const column = createColumnHelper<DataTableFeatures, BatchFailureRow>();

const columns = column.columns([
  column.accessor("input", {
    header: "Entry",
    cell: (info) => <span className="font-mono text-xs whitespace-nowrap text-slate-700">{info.getValue() ?? "—"}</span>,
  }),
  column.accessor("registrationId", {
    header: "Registration",
    cell: (info) => <span className="font-mono text-xs text-slate-500">{info.getValue()?.slice(0, 8) ?? "—"}</span>,
  }),
  column.accessor("reason", { header: "Reason", cell: (info) => <span className="text-xs text-red-700">{info.getValue()}</span> }),
  column.accessor("createdAt", { header: "When", cell: (info) => <RelativeTime iso={info.getValue()} /> }),
]);

export function BatchFailuresTable({ rows, summary }: { rows: BatchFailureRow[]; summary: string }) {
  return (
    <DataTable
      columns={columns}
      data={rows}
      getRowId={(row) => row.key}
      rowHref={(row) => (row.registrationId ? `/registrations/${row.registrationId}` : null)}
      cursors={{ next: null, previous: null }}
      summary={summary}
      emptyTitle="No failures"
    />
  );
}
