"use client";

import { createColumnHelper } from "@tanstack/react-table";
import type { WebhookDeliveryStatus, WebhookEventType } from "@/db/schema";
import { DataTable } from "@/components/data-table/data-table";
import type { DataTableCursors, DataTableFeatures, DataTableFilter } from "@/components/data-table/features";
import { RelativeTime } from "@/components/relative-time";
import { DeliveryStatusBadge } from "./webhook-badges";

/** A delivery as the endpoint page sends it to the browser (dates as ISO strings). */
export interface DeliveryRow {
  id: string;
  endpointId: string;
  eventType: WebhookEventType;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string;
  deliveredAt: string | null;
  createdAt: string;
}

const column = createColumnHelper<DataTableFeatures, DeliveryRow>();

const columns = column.columns([
  column.accessor("eventType", {
    header: "Event",
    cell: (info) => (
      <span className="font-mono text-sm text-brand-700">{info.getValue()}</span>
    ),
  }),
  column.accessor("id", { header: "webhook-id", cell: (info) => <span className="font-mono text-xs text-slate-500">{info.getValue()}</span> }),
  column.accessor("status", { header: "Status", cell: (info) => <DeliveryStatusBadge status={info.getValue()} /> }),
  column.accessor("attempts", { header: "Attempts", cell: (info) => <span className="tabular-nums">{info.getValue()}</span> }),
  column.accessor("lastStatusCode", {
    header: "Last answer",
    cell: (info) => {
      const row = info.row.original;
      if (row.attempts === 0) return <span className="text-slate-400">—</span>;
      const ok = row.lastStatusCode !== null && row.lastStatusCode < 300;
      return <span className={ok ? "text-emerald-700" : "text-red-600"}>{row.lastStatusCode ?? row.lastError ?? "—"}</span>;
    },
  }),
  column.accessor("nextAttemptAt", {
    header: "Delivered / next attempt",
    cell: (info) => {
      const row = info.row.original;
      if (row.deliveredAt) return <RelativeTime iso={row.deliveredAt} />;
      if (row.status === "pending") return <span className="text-amber-700"><RelativeTime iso={info.getValue()} /></span>;
      return <span className="text-slate-400">—</span>;
    },
  }),
  column.accessor("createdAt", { header: "Event at", cell: (info) => <RelativeTime iso={info.getValue()} /> }),
]);

export function DeliveriesTable({ rows, filters, cursors }: { rows: DeliveryRow[]; filters: DataTableFilter[]; cursors: DataTableCursors }) {
  return (
    <DataTable
      columns={columns}
      data={rows}
      getRowId={(row) => row.id}
      rowHref={(row) => `/webhooks/${row.endpointId}/deliveries/${row.id}`}
      filters={filters}
      cursors={cursors}
      summary={`${rows.length} ${rows.length === 1 ? "delivery" : "deliveries"}${cursors.next || cursors.previous ? " on this page" : ""}`}
      emptyTitle="No deliveries"
      emptyHint="Events of the subscribed types appear here as they happen, with every attempt."
    />
  );
}
