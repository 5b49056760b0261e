"use client";

import { createColumnHelper } from "@tanstack/react-table";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { DataTable } from "@/components/data-table/data-table";
import type { DataTableCursors, DataTableFeatures, DataTableFilter, DataTableSort } from "@/components/data-table/features";
import { humanize } from "@/components/format";
import { RelativeTime } from "@/components/relative-time";

export interface DecisionRow {
  id: string;
  createdAt: string;
  kind: string;
  outcome: string | null;
  reasons: string[];
  registrationId: string | null;
  details: string | null;
}

const outcomeTones: Record<string, BadgeTone> = { accept: "green", hold: "amber", reject: "red" };
const column = createColumnHelper<DataTableFeatures, DecisionRow>();

const columns = column.columns([
  column.accessor("createdAt", { id: "createdAt", header: "When", cell: (info) => <RelativeTime iso={info.getValue()} /> }),
  column.accessor("kind", { header: "Decision", cell: (info) => <span className="whitespace-nowrap font-medium text-slate-900">{humanize(info.getValue())}</span> }),
  column.accessor("outcome", {
    header: "Outcome",
    cell: (info) => {
      const value = info.getValue();
      return value ? <Badge tone={outcomeTones[value] ?? "neutral"}>{value}</Badge> : <span className="text-slate-400">—</span>;
    },
  }),
  column.accessor("reasons", {
    header: "Reasons",
    cell: (info) =>
      info.getValue().length ? (
        <span className="flex flex-wrap gap-1">
          {info.getValue().map((r) => (
            <code key={r} className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-800">
              {r}
            </code>
          ))}
        </span>
      ) : (
        <span className="text-slate-400">—</span>
      ),
  }),
  column.accessor("registrationId", {
    header: "Registration",
    cell: (info) => {
      const id = info.getValue();
      return id ? (
        <span className="font-mono text-xs text-brand-700">{id.slice(0, 8)}</span>
      ) : (
        <span className="text-slate-400">—</span>
      );
    },
  }),
  column.accessor("details", {
    header: "Details",
    cell: (info) => {
      const value = info.getValue();
      return value ? (
        <span className="line-clamp-2 max-w-sm text-xs text-slate-600" title={value}>
          {value}
        </span>
      ) : (
        <span className="text-slate-400">—</span>
      );
    },
  }),
]);

export function DecisionsTable(props: { rows: DecisionRow[]; filters: DataTableFilter[]; sort: DataTableSort; cursors: DataTableCursors; summary: string; filtered: boolean }) {
  return (
    <DataTable
      columns={columns}
      data={props.rows}
      getRowId={(row) => row.id}
      rowHref={(row) => (row.registrationId ? `/registrations/${row.registrationId}` : null)}
      primaryColumn="registrationId"
      filters={props.filters}
      sort={props.sort}
      cursors={props.cursors}
      summary={props.summary}
      emptyTitle={props.filtered ? "No decisions match these filters" : "No policy decisions yet"}
      emptyHint={props.filtered ? "Clear or change the filters to see more." : "Screening and the sweeps record a decision for every registration they act on."}
    />
  );
}
