"use client";

import { createColumnHelper } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import type { DataTableCursors, DataTableFeatures, DataTableFilter, DataTableSort } from "@/components/data-table/features";
import { RelativeTime } from "@/components/relative-time";

export interface MemberRow {
  id: string;
  phone: string | null;
  phaseName: string;
  admittedAt: string;
  inviteQuota: number;
}

const column = createColumnHelper<DataTableFeatures, MemberRow>();

const columns = column.columns([
  column.accessor("phone", {
    header: "Phone",
    cell: (info) => <span className="font-mono text-sm text-slate-900">{info.getValue() ?? <span className="font-sans text-slate-400">erased</span>}</span>,
  }),
  column.accessor("phaseName", { header: "Admitted in" }),
  column.accessor("admittedAt", { id: "admittedAt", header: "Admitted", cell: (info) => <RelativeTime iso={info.getValue()} /> }),
  column.accessor("inviteQuota", {
    header: "Invites left",
    cell: (info) => <span className="font-semibold tabular-nums text-slate-900">{info.getValue()}</span>,
  }),
]);

export function MembersTable(props: { rows: MemberRow[]; filters: DataTableFilter[]; sort: DataTableSort; cursors: DataTableCursors; summary: string; filtered: boolean }) {
  return (
    <DataTable
      columns={columns}
      data={props.rows}
      getRowId={(row) => row.id}
      rowHref={(row) => `/members/${row.id}`}
      filters={props.filters}
      sort={props.sort}
      cursors={props.cursors}
      summary={props.summary}
      emptyTitle={props.filtered ? "No members in this phase" : "Nobody has been admitted yet"}
      emptyHint={props.filtered ? "Pick another phase or clear the filter." : "Members appear here when they redeem an invitation."}
    />
  );
}
