"use client";

import { createColumnHelper } from "@tanstack/react-table";
import { humanize } from "@/components/format";
import { DataTable } from "@/components/data-table/data-table";
import type { DataTableCursors, DataTableFeatures } from "@/components/data-table/features";
import { RelativeTime } from "@/components/relative-time";
import { Badge } from "@/components/ui/badge";

/** A quota ledger entry as the page sends it to the browser (dates as ISO strings). */
export interface LedgerRow {
  id: string;
  createdAt: string;
  delta: number;
  reason: string;
  actor: string;
}

const column = createColumnHelper<DataTableFeatures, LedgerRow>();

const columns = column.columns([
  column.accessor("createdAt", { header: "When", cell: (info) => <RelativeTime iso={info.getValue()} /> }),
  column.accessor("delta", {
    header: "Change",
    cell: (info) => {
      const delta = info.getValue();
      return (
        <span className={delta > 0 ? "font-semibold tabular-nums text-emerald-700" : "font-semibold tabular-nums text-red-700"}>
          {delta > 0 ? `+${delta}` : delta}
        </span>
      );
    },
  }),
  column.accessor("reason", { header: "Reason", cell: (info) => <Badge>{humanize(info.getValue())}</Badge> }),
  column.accessor("actor", { header: "By", cell: (info) => <span className="font-mono text-xs text-slate-500">{info.getValue()}</span> }),
]);

export function LedgerTable(props: { rows: LedgerRow[]; cursors: DataTableCursors; summary: string }) {
  return (
    <DataTable
      columns={columns}
      data={props.rows}
      getRowId={(row) => row.id}
      cursors={props.cursors}
      summary={props.summary}
      emptyTitle="No ledger entries"
      emptyHint="Phase top-ups, grants, invitations and refunds appear here."
    />
  );
}
