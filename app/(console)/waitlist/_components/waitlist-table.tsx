"use client";

import { createColumnHelper } from "@tanstack/react-table";
import { Download } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { DataTable } from "@/components/data-table/data-table";
import type { DataTableCursors, DataTableFeatures, DataTableFilter, DataTableSort } from "@/components/data-table/features";
import { formatCount } from "@/components/format";
import { RelativeTime } from "@/components/relative-time";
import { HoldBadge, StatusBadge } from "@/components/status-badge";

/** A registration as the Waitlist page sends it to the browser (dates as ISO strings). */
export interface WaitlistRow {
  id: string;
  position: number | null;
  phone: string | null;
  email: string | null;
  phoneCountry: string;
  platform: string;
  status: string;
  priority: number;
  referralPoints: number;
  boostPoints: number;
  review: string;
  legacyClaim: boolean;
  queuedAt: string | null;
  createdAt: string;
}

const column = createColumnHelper<DataTableFeatures, WaitlistRow>();

const columns = column.columns([
  column.accessor("position", {
    id: "position",
    header: "Position",
    cell: (info) => {
      const value = info.getValue();
      return value === null ? (
        <span className="text-slate-400" title="Positions show in queue order (status: waiting)">
          —
        </span>
      ) : (
        <span className="font-semibold tabular-nums text-slate-900">#{formatCount(value)}</span>
      );
    },
  }),
  column.accessor("phone", {
    header: "Phone",
    cell: (info) => (
      <div className="min-w-40">
        <span className="font-mono text-sm text-slate-900" data-testid="phone">
          {info.getValue() ?? <span className="font-sans text-slate-400">erased</span>}
        </span>
        {info.row.original.email ? <p className="truncate text-xs text-slate-500">{info.row.original.email}</p> : null}
      </div>
    ),
  }),
  column.accessor("status", {
    header: "Status",
    cell: (info) => (
      <span className="flex flex-wrap items-center gap-1">
        <StatusBadge status={info.getValue()} />
        {info.row.original.review === "hold" ? <HoldBadge /> : null}
        {info.row.original.legacyClaim ? (
          <Badge tone="neutral" className="text-slate-500">
            legacy claim
          </Badge>
        ) : null}
      </span>
    ),
  }),
  column.accessor("phoneCountry", { header: "Country", cell: (info) => <span className="font-mono text-xs">{info.getValue()}</span> }),
  column.accessor("platform", { header: "Platform", cell: (info) => (info.getValue() === "ios" ? "iOS" : "Android") }),
  column.accessor("priority", {
    header: "Priority",
    cell: (info) => {
      const row = info.row.original;
      return (
        <span className="tabular-nums" title={`${row.referralPoints} referral + ${row.boostPoints} staff boost`}>
          {info.getValue()}
          {info.getValue() > 0 ? (
            <span className="ml-1 text-xs text-slate-400">
              ({row.referralPoints}+{row.boostPoints})
            </span>
          ) : null}
        </span>
      );
    },
  }),
  column.accessor("queuedAt", {
    header: "Queued",
    cell: (info) => {
      const value = info.getValue();
      return value ? <RelativeTime iso={value} /> : <span className="text-slate-400">—</span>;
    },
  }),
  column.accessor("createdAt", { id: "createdAt", header: "Registered", cell: (info) => <RelativeTime iso={info.getValue()} /> }),
]);

export function WaitlistTable(props: {
  rows: WaitlistRow[];
  filters: DataTableFilter[];
  sort: DataTableSort;
  cursors: DataTableCursors;
  summary: string;
  exportHref: string;
  emptyTitle: string;
  emptyHint: string;
}) {
  return (
    <DataTable
      columns={columns}
      data={props.rows}
      getRowId={(row) => row.id}
      rowHref={(row) => `/registrations/${row.id}`}
      primaryColumn="phone"
      filters={props.filters}
      sort={props.sort}
      cursors={props.cursors}
      summary={props.summary}
      emptyTitle={props.emptyTitle}
      emptyHint={props.emptyHint}
      actions={
        <a href={props.exportHref} className={buttonClasses("secondary", "sm", "h-9")} download>
          <Download className="size-4" aria-hidden />
          Export CSV
        </a>
      }
    />
  );
}
