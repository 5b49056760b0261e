"use client";

import { createColumnHelper } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import type { DataTableFeatures } from "@/components/data-table/features";
import { formatCount } from "@/components/format";

export interface QueueRow {
  name: string;
  waiting: number;
  prioritized: number;
  active: number;
  delayed: number;
  completed: number;
  failed: number;
  /** Jobs finished in the last 5 minutes, per minute. */
  perMinute: number;
}

const column = createColumnHelper<DataTableFeatures, QueueRow>();
const numeric = (key: "waiting" | "prioritized" | "active" | "delayed" | "completed" | "failed", header: string) =>
  column.accessor(key, {
    header,
    cell: (info) => (
      <span className={`tabular-nums ${key === "failed" && info.getValue() > 0 ? "font-medium text-red-600" : ""}`} data-testid={`queue-${info.row.original.name}-${key}`}>
        {formatCount(info.getValue())}
      </span>
    ),
  });

const columns = column.columns([
  column.accessor("name", { header: "Queue", cell: (info) => <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-800">{info.getValue()}</code> }),
  numeric("waiting", "Waiting"),
  numeric("prioritized", "Prioritized"),
  numeric("active", "Active"),
  numeric("delayed", "Delayed"),
  numeric("completed", "Completed (kept)"),
  numeric("failed", "Failed (kept)"),
  column.accessor("perMinute", {
    header: "Per minute (5 min avg)",
    cell: (info) => <span className="tabular-nums">{info.getValue().toLocaleString("en-US", { maximumFractionDigits: 1 })}</span>,
  }),
]);

export function QueuesTable({ rows, redisUp }: { rows: QueueRow[]; redisUp: boolean }) {
  return (
    <DataTable
      columns={columns}
      data={rows}
      getRowId={(row) => row.name}
      cursors={{ next: null, previous: null }}
      summary={redisUp ? `${rows.length} queues` : "Redis is unreachable"}
      emptyTitle={redisUp ? "No queues" : "Redis is unreachable"}
      emptyHint={redisUp ? undefined : "Notifications wait in the outbox and are queued when Redis is back; nothing is lost."}
    />
  );
}
