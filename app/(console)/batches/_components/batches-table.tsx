"use client";

import { createColumnHelper } from "@tanstack/react-table";
import type { BatchKind, BatchStatus } from "@/db/schema";
import { DataTable } from "@/components/data-table/data-table";
import type { DataTableCursors, DataTableFeatures, DataTableFilter } from "@/components/data-table/features";
import { RelativeTime } from "@/components/relative-time";
import { formatCount } from "@/components/format";
import { BatchStatusBadge, batchKindLabels } from "./batch-status-badge";

/** A batch as the list page sends it to the browser (dates as ISO strings). */
export interface BatchRow {
  id: string;
  kind: BatchKind;
  status: BatchStatus;
  requested: number;
  selected: number;
  invited: number;
  notified: number;
  failed: number;
  truncatedReason: string | null;
  createdBy: string;
  createdAt: string;
}

const column = createColumnHelper<DataTableFeatures, BatchRow>();

const count = (header: string, key: "requested" | "selected" | "invited" | "notified" | "failed") =>
  column.accessor(key, {
    header,
    cell: (info) => (
      <span className={`tabular-nums ${key === "failed" && info.getValue() > 0 ? "font-medium text-red-600" : "text-slate-700"}`}>
        {formatCount(info.getValue())}
      </span>
    ),
  });

const columns = column.columns([
  column.accessor("kind", {
    header: "Kind",
    cell: (info) => (
      <div>
        <p className="font-medium whitespace-nowrap text-slate-900">{batchKindLabels[info.getValue()]}</p>
        <p className="font-mono text-xs text-slate-400">{info.row.original.id.slice(0, 8)}</p>
      </div>
    ),
  }),
  column.accessor("status", {
    header: "Status",
    cell: (info) => (
      <div className="space-y-0.5">
        <BatchStatusBadge status={info.getValue()} />
        {info.row.original.truncatedReason ? (
          <p className="max-w-48 truncate text-xs text-amber-700" title={info.row.original.truncatedReason}>
            {info.row.original.truncatedReason}
          </p>
        ) : null}
      </div>
    ),
  }),
  count("Requested", "requested"),
  count("Selected", "selected"),
  count("Invited", "invited"),
  count("Notified", "notified"),
  count("Failed", "failed"),
  column.accessor("createdBy", { header: "Created by", cell: (info) => <span className="block max-w-52 truncate text-slate-700" title={info.getValue()}>{info.getValue()}</span> }),
  column.accessor("createdAt", { id: "createdAt", header: "Created", cell: (info) => <RelativeTime iso={info.getValue()} /> }),
]);

export function BatchesTable(props: { rows: BatchRow[]; filters: DataTableFilter[]; cursors: DataTableCursors; summary: string; filtered: boolean; canManage: boolean }) {
  return (
    <DataTable
      columns={columns}
      data={props.rows}
      getRowId={(row) => row.id}
      rowHref={(row) => `/batches/${row.id}`}
      filters={props.filters}
      cursors={props.cursors}
      summary={props.summary}
      exportPath="/batches/export"
      emptyTitle={props.filtered ? "No batches match these filters" : "No batches yet"}
      emptyHint={
        props.filtered
          ? "Clear or change the filters to see more."
          : props.canManage
            ? "Create a batch to invite the next people in the queue."
            : "Growth staff create batches to invite people from the waitlist."
      }
    />
  );
}
