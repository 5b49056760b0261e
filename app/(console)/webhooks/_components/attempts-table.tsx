"use client";

import { createColumnHelper } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import type { DataTableFeatures } from "@/components/data-table/features";
import { RelativeTime } from "@/components/relative-time";

export interface AttemptRow {
  id: number;
  startedAt: string;
  durationMs: number | null;
  statusCode: number | null;
  error: string | null;
  responseExcerpt: string | null;
}

const column = createColumnHelper<DataTableFeatures, AttemptRow>();

const columns = column.columns([
  column.accessor("startedAt", { header: "Started", cell: (info) => <RelativeTime iso={info.getValue()} /> }),
  column.accessor("statusCode", {
    header: "Answer",
    cell: (info) => {
      const code = info.getValue();
      return code === null ? <span className="text-red-600">none</span> : <span className={code < 300 ? "text-emerald-700" : "text-red-600"}>HTTP {code}</span>;
    },
  }),
  column.accessor("durationMs", { header: "Took", cell: (info) => (info.getValue() === null ? "—" : <span className="tabular-nums">{info.getValue()} ms</span>) }),
  column.accessor("error", { header: "Error", cell: (info) => info.getValue() ?? <span className="text-slate-400">—</span> }),
  column.accessor("responseExcerpt", {
    header: "Response",
    cell: (info) => (info.getValue() ? <code className="line-clamp-2 max-w-md font-mono text-xs break-all text-slate-600">{info.getValue()}</code> : <span className="text-slate-400">—</span>),
  }),
]);

export function AttemptsTable({ rows }: { rows: AttemptRow[] }) {
  return (
    <DataTable
      columns={columns}
      data={rows}
      getRowId={(row) => String(row.id)}
      cursors={{ next: null, previous: null }}
      summary={`${rows.length} ${rows.length === 1 ? "attempt" : "attempts"}`}
      emptyTitle="Not tried yet"
      emptyHint="The relay queues it as soon as it is due and its endpoint is enabled."
    />
  );
}
