"use client";

import { createColumnHelper } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import type { DataTableFeatures } from "@/components/data-table/features";
import { Badge } from "@/components/ui/badge";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { RelativeTime } from "@/components/relative-time";
import { releasePrefixHoldAction } from "../actions";

export interface HeldPrefixRow {
  prefix: string;
  country: string;
  status: "held" | "released";
  reason: string;
  heldAt: string;
  releasedAt: string | null;
}

const column = createColumnHelper<DataTableFeatures, HeldPrefixRow>();

function columnsFor(canRelease: boolean) {
  return column.columns([
    column.accessor("prefix", { header: "Prefix", cell: (info) => <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-800">{info.getValue()}</code> }),
    column.accessor("country", { header: "Country" }),
    column.accessor("status", {
      header: "Status",
      cell: (info) => (info.getValue() === "held" ? <Badge tone="red">Held</Badge> : <Badge tone="neutral">Released</Badge>),
    }),
    column.accessor("reason", { header: "Why", cell: (info) => <span className="text-slate-700">{info.getValue()}</span> }),
    column.accessor("heldAt", { header: "Held", cell: (info) => <RelativeTime iso={info.getValue()} /> }),
    column.display({
      id: "release",
      header: "",
      cell: ({ row }) =>
        row.original.status === "held" && canRelease ? (
          <ConfirmAction
            label="Release"
            title={`Release ${row.original.prefix}?`}
            description="Verification codes go to this prefix again. Its conversion is then judged only on codes sent from now on."
            confirmLabel="Release prefix"
            hidden={{ prefix: row.original.prefix }}
            action={releasePrefixHoldAction}
            successMessage={`${row.original.prefix} released.`}
          />
        ) : row.original.releasedAt ? (
          <span className="text-xs text-slate-500">
            released <RelativeTime iso={row.original.releasedAt} />
          </span>
        ) : null,
    }),
  ]);
}

/** Prefixes held for collapsed conversion (SPEC §3.2 rule 7); admins release them. */
const withRelease = columnsFor(true);
const readOnly = columnsFor(false);

export function HeldPrefixesTable({ rows, canRelease }: { rows: HeldPrefixRow[]; canRelease: boolean }) {
  return (
    <DataTable
      columns={canRelease ? withRelease : readOnly}
      data={rows}
      getRowId={(row) => row.prefix}
      cursors={{ next: null, previous: null }}
      summary={`${rows.filter((r) => r.status === "held").length} held`}
      emptyTitle="No prefix is held"
      emptyHint="A prefix is held when its codes are rarely verified (see the settings below)."
    />
  );
}
