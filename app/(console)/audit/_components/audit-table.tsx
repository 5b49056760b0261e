"use client";

import { createColumnHelper } from "@tanstack/react-table";
import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/data-table/data-table";
import type { DataTableCursors, DataTableFeatures, DataTableFilter, DataTableSort } from "@/components/data-table/features";
import { RelativeTime } from "@/components/relative-time";

/** An audit event as the page sends it to the browser (dates as ISO strings). */
export interface AuditRow {
  id: string;
  createdAt: string;
  actorLabel: string;
  isSystem: boolean;
  action: string;
  targetType: string;
  targetId: string | null;
  change: string | null;
  requestId: string | null;
}

const column = createColumnHelper<DataTableFeatures, AuditRow>();

const columns = column.columns([
  column.accessor("createdAt", { id: "createdAt", header: "When", cell: (info) => <RelativeTime iso={info.getValue()} /> }),
  column.accessor("actorLabel", {
    header: "Actor",
    cell: (info) =>
      info.row.original.isSystem ? <Badge>system</Badge> : <span className="whitespace-nowrap font-medium text-slate-900">{info.getValue()}</span>,
  }),
  column.accessor("action", { header: "Action", cell: (info) => <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-800">{info.getValue()}</code> }),
  column.accessor("targetType", {
    header: "Target",
    cell: (info) => (
      <span className="whitespace-nowrap">
        <span className="text-slate-500">{info.getValue()}</span>
        {info.row.original.targetId ? <span className="ml-1.5 font-mono text-xs text-slate-700">{info.row.original.targetId}</span> : null}
      </span>
    ),
  }),
  column.accessor("change", {
    header: "Change",
    cell: (info) => {
      const value = info.getValue();
      return value ? (
        <span className="line-clamp-2 max-w-md text-xs text-slate-600" title={value}>
          {value}
        </span>
      ) : (
        <span className="text-slate-400">—</span>
      );
    },
  }),
  column.accessor("requestId", {
    header: "Request",
    cell: (info) => <span className="font-mono text-xs text-slate-400">{info.getValue()?.slice(0, 8) ?? "—"}</span>,
  }),
]);

export function AuditTable(props: { rows: AuditRow[]; filters: DataTableFilter[]; sort: DataTableSort; cursors: DataTableCursors; summary: string; filtered: boolean }) {
  return (
    <DataTable
      columns={columns}
      data={props.rows}
      getRowId={(row) => row.id}
      // A row opens the history of its target.
      rowHref={(row) =>
        row.targetId ? `/audit?targetType=${encodeURIComponent(row.targetType)}&targetId=${encodeURIComponent(row.targetId)}` : null
      }
      filters={props.filters}
      sort={props.sort}
      cursors={props.cursors}
      summary={props.summary}
      exportPath="/audit/export"
      emptyTitle={props.filtered ? "No events match these filters" : "No staff changes recorded yet"}
      emptyHint={props.filtered ? "Clear or change the filters to see more." : "Every staff change appears here, in the same transaction as the change."}
    />
  );
}
