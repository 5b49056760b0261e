"use client";

import Link from "next/link";
import { createColumnHelper } from "@tanstack/react-table";
import type { WebhookEventType } from "@/db/schema";
import { DataTable } from "@/components/data-table/data-table";
import type { DataTableFeatures } from "@/components/data-table/features";
import { formatCount } from "@/components/format";
import { RelativeTime } from "@/components/relative-time";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { deleteWebhookEndpointAction } from "../actions";
import { EndpointStatusBadge, EventTypeBadges } from "./webhook-badges";

/** An endpoint as the list page sends it to the browser (dates as ISO strings). */
export interface EndpointRow {
  id: string;
  url: string;
  description: string | null;
  events: WebhookEventType[];
  includePhone: boolean;
  status: "enabled" | "disabled";
  disabledAutomatically: boolean;
  undelivered: number;
  failed: number;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
}

const column = createColumnHelper<DataTableFeatures, EndpointRow>();
const capped = (n: number) => (n > 10_000 ? "10,000+" : formatCount(n));
const time = (iso: string | null) => (iso ? <RelativeTime iso={iso} /> : <span className="text-slate-400">never</span>);

const columns = column.columns([
  column.accessor("url", {
    header: "Endpoint",
    cell: (info) => (
      <div className="min-w-0">
        <Link href={`/webhooks/${info.row.original.id}`} className="font-medium break-all text-brand-700 hover:underline">
          {info.getValue()}
        </Link>
        {info.row.original.description ? <p className="text-xs text-slate-500">{info.row.original.description}</p> : null}
        {info.row.original.includePhone ? <p className="text-xs text-amber-700">includes phone numbers</p> : null}
      </div>
    ),
  }),
  column.accessor("events", { header: "Event types", cell: (info) => <EventTypeBadges events={info.getValue()} /> }),
  column.accessor("status", { header: "Status", cell: (info) => <EndpointStatusBadge status={info.getValue()} automatically={info.row.original.disabledAutomatically} /> }),
  column.accessor("undelivered", {
    header: "Undelivered",
    cell: (info) => <span className={`tabular-nums ${info.getValue() > 0 ? "font-medium text-amber-700" : "text-slate-500"}`}>{capped(info.getValue())}</span>,
  }),
  column.accessor("failed", {
    header: "Failed",
    cell: (info) => <span className={`tabular-nums ${info.getValue() > 0 ? "font-medium text-red-600" : "text-slate-500"}`}>{capped(info.getValue())}</span>,
  }),
  column.accessor("lastSuccessAt", { header: "Last success", cell: (info) => time(info.getValue()) }),
  column.accessor("lastFailureAt", { header: "Last failure", cell: (info) => time(info.getValue()) }),
  column.display({
    id: "actions",
    header: "",
    cell: (info) => (
      <div className="flex justify-end">
        <ConfirmAction
          label="Delete"
          variant="ghost"
          confirmVariant="danger"
          title={`Delete ${info.row.original.url}?`}
          description="Its deliveries, delivered or not, are deleted with it and nothing more is sent there. This cannot be undone."
          confirmLabel="Delete endpoint"
          hidden={{ endpointId: info.row.original.id }}
          action={deleteWebhookEndpointAction}
          successMessage="Endpoint deleted"
        />
      </div>
    ),
  }),
]);

export function EndpointsTable({ rows }: { rows: EndpointRow[] }) {
  return (
    <DataTable
      columns={columns}
      data={rows}
      getRowId={(row) => row.id}
      cursors={{ next: null, previous: null }}
      summary={`${rows.length} ${rows.length === 1 ? "endpoint" : "endpoints"}`}
      emptyTitle="No webhook endpoints"
      emptyHint="Add one so the app's back end hears who got in without polling."
    />
  );
}
