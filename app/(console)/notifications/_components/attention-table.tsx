"use client";

import Link from "next/link";
import { createColumnHelper } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import type { DataTableFeatures } from "@/components/data-table/features";
import { humanize } from "@/components/format";
import { RelativeTime } from "@/components/relative-time";
import { Badge } from "@/components/ui/badge";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { Field, inputClasses } from "@/components/ui/field";
import { resolveNotificationAction, retryNotificationAction } from "../actions";

/** A failed or unknown notification as the page sends it to the browser. */
export interface AttentionRow {
  id: string;
  kind: string;
  channel: string;
  status: "failed" | "unknown";
  recipient: string;
  registrationId: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

const column = createColumnHelper<DataTableFeatures, AttentionRow>();

function RowActions({ row }: { row: AttentionRow }) {
  if (row.status === "failed") {
    return (
      <ConfirmAction
        label="Retry"
        title="Retry this notification?"
        description={`The ${humanize(row.kind).toLowerCase()} to ${row.recipient} goes back to the outbox and is sent once more (it is claimed before sending, so never twice).`}
        confirmLabel="Retry now"
        hidden={{ notificationId: row.id }}
        action={retryNotificationAction}
        successMessage="Notification queued again"
      />
    );
  }
  return (
    <ConfirmAction
      label="Resolve"
      title="Resolve an unknown delivery"
      description="A worker stopped while sending this one, so nobody knows whether it went out. Check with the provider, then record what happened. It is never resent blindly."
      confirmLabel="Record outcome"
      hidden={{ notificationId: row.id }}
      action={resolveNotificationAction}
      successMessage="Notification resolved"
      fields={(errors) => (
        <>
          <Field label="Outcome" htmlFor={`outcome-${row.id}`} error={errors.outcome}>
            <select id={`outcome-${row.id}`} name="outcome" defaultValue="sent" className={inputClasses}>
              <option value="sent">It was delivered — mark as sent</option>
              <option value="failed">It was not delivered — mark as failed (can then be retried)</option>
            </select>
          </Field>
          <Field label="Note" htmlFor={`note-${row.id}`} error={errors.note} hint="Optional, e.g. the provider's message id">
            <input id={`note-${row.id}`} name="note" className={inputClasses} maxLength={500} />
          </Field>
        </>
      )}
    />
  );
}

function columnsFor(canAct: boolean) {
  return column.columns([
    column.accessor("updatedAt", { header: "Since", cell: (info) => <RelativeTime iso={info.getValue()} /> }),
    column.accessor("kind", {
      header: "Message",
      cell: (info) => (
        <span className="whitespace-nowrap">
          {humanize(info.getValue())} <Badge className="ml-1 uppercase">{info.row.original.channel}</Badge>
        </span>
      ),
    }),
    column.accessor("recipient", {
      header: "To",
      cell: (info) => {
        const id = info.row.original.registrationId;
        const text = <span className="font-mono text-xs">{info.getValue()}</span>;
        return id ? (
          <Link href={`/registrations/${id}`} className="text-brand-700 hover:underline">
            {text}
          </Link>
        ) : (
          text
        );
      },
    }),
    column.accessor("attempts", { header: "Attempts", cell: (info) => <span className="tabular-nums">{info.getValue()}</span> }),
    column.accessor("lastError", {
      header: "Last error",
      cell: (info) => (
        <span className="line-clamp-2 max-w-sm text-xs text-slate-600" title={info.getValue() ?? undefined}>
          {info.getValue() ?? "—"}
        </span>
      ),
    }),
    ...(canAct ? [column.display({ id: "actions", header: "", cell: (info) => <div className="flex justify-end"><RowActions row={info.row.original} /></div> })] : []),
  ]);
}

export function AttentionTable({ rows, total, status, canAct }: { rows: AttentionRow[]; total: number; status: "failed" | "unknown"; canAct: boolean }) {
  return (
    <DataTable
      columns={columnsFor(canAct)}
      data={rows}
      getRowId={(row) => row.id}
      cursors={{ next: null, previous: null }}
      summary={rows.length < total ? `newest ${rows.length} of ${total} ${status}` : `${total} ${status}`}
      emptyTitle={status === "failed" ? "No failed notifications" : "No notifications in an unknown state"}
      emptyHint={status === "failed" ? "Messages that failed after every retry appear here." : "A worker that stops mid-send leaves its message here for staff to settle."}
    />
  );
}
