"use client";

import { createColumnHelper } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import type { DataTableFeatures } from "@/components/data-table/features";
import { RelativeTime } from "@/components/relative-time";
import { Badge } from "@/components/ui/badge";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { revokeApiTokenAction } from "../actions";
import type { ApiTokenRow } from "./api-token-rows";

const column = createColumnHelper<DataTableFeatures, ApiTokenRow>();

const optionalTime = (value: string | null, none: string) =>
  value ? <RelativeTime iso={value} /> : <span className="text-slate-400">{none}</span>;

const tokenColumn = column.accessor("name", {
  header: "Token",
  cell: (info) => (
    <div>
      <p className="font-medium text-slate-900">{info.getValue()}</p>
      <p className="font-mono text-xs text-slate-500">{info.row.original.prefix}…</p>
    </div>
  ),
});

const ownerColumn = column.accessor("ownerEmail", {
  header: "Owner",
  cell: (info) => (
    <span className="whitespace-nowrap">
      {info.getValue()}
      {info.row.original.ownerDisabled ? (
        <Badge tone="red" className="ml-2">
          owner disabled
        </Badge>
      ) : null}
    </span>
  ),
});

const detailColumns = [
  column.accessor("state", {
    header: "Status",
    cell: (info) => {
      const state = info.getValue();
      return state === "active" ? <Badge tone="green">Active</Badge> : state === "expired" ? <Badge tone="amber">Expired</Badge> : <Badge tone="red">Revoked</Badge>;
    },
  }),
  column.accessor("createdAt", { header: "Created", cell: (info) => <RelativeTime iso={info.getValue()} /> }),
  column.accessor("lastUsedAt", { header: "Last used", cell: (info) => optionalTime(info.getValue(), "never") }),
  column.accessor("expiresAt", { header: "Expires", cell: (info) => <RelativeTime iso={info.getValue()} /> }),
  column.accessor("revokedAt", { header: "Revoked", cell: (info) => optionalTime(info.getValue(), "—") }),
  column.display({
    id: "actions",
    header: "",
    cell: (info) => {
      const row = info.row.original;
      if (row.state === "revoked") return null;
      return (
        <div className="flex justify-end">
          <ConfirmAction
            label="Revoke"
            confirmVariant="danger"
            title={`Revoke token ${row.name} (${row.prefix}…)?`}
            description="Requests with this token are refused from now on. This cannot be undone: create a new token if it is needed again."
            confirmLabel="Revoke token"
            hidden={{ tokenId: row.id }}
            action={revokeApiTokenAction}
            successMessage={`Token ${row.prefix}… revoked`}
          />
        </div>
      );
    },
  }),
];

/**
 * `own`: the Account page (the member's tokens, no owner column), inside the page's card;
 * `everyone`: the Staff page (admins).
 */
const columnsFor = {
  own: column.columns([tokenColumn, ...detailColumns]),
  everyone: column.columns([tokenColumn, ownerColumn, ...detailColumns]),
};

const emptyFor = {
  own: { title: "You have no API tokens", hint: "A script or tool calls /api/admin/v1 with a token that acts as you, with your current role." },
  everyone: { title: "No API tokens", hint: "Automation (growth scripts, support tools) calls /api/admin/v1 with a token acting as a staff member." },
};

export function ApiTokensTable({ rows, scope }: { rows: ApiTokenRow[]; scope: "own" | "everyone" }) {
  const active = rows.filter((r) => r.state === "active").length;
  return (
    <DataTable
      columns={columnsFor[scope]}
      data={rows}
      getRowId={(row) => row.id}
      cursors={{ next: null, previous: null }}
      summary={`${rows.length} ${rows.length === 1 ? "token" : "tokens"} · ${active} active`}
      emptyTitle={emptyFor[scope].title}
      emptyHint={emptyFor[scope].hint}
      embedded={scope === "own"}
    />
  );
}
