"use client";

import { createColumnHelper } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import type { DataTableFeatures } from "@/components/data-table/features";
import { formatCount, formatPercent } from "@/components/format";

export interface ConversionRow {
  /** A country code or a number prefix. */
  key: string;
  country: string;
  sends: number;
  verifications: number;
}

const column = createColumnHelper<DataTableFeatures, ConversionRow>();

function columnsFor(by: "country" | "prefix") {
  return column.columns([
    column.accessor("key", {
      header: by === "country" ? "Country" : "Prefix",
      cell: (info) => <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-800">{info.getValue()}</code>,
    }),
    ...(by === "prefix" ? [column.accessor("country", { header: "Country" })] : []),
    column.accessor("sends", { header: "Codes sent", cell: (info) => <span className="tabular-nums">{formatCount(info.getValue())}</span> }),
    column.accessor("verifications", { header: "Verified", cell: (info) => <span className="tabular-nums">{formatCount(info.getValue())}</span> }),
    column.display({
      id: "rate",
      header: "Verified %",
      cell: ({ row }) => {
        const { sends, verifications } = row.original;
        if (sends === 0) return <span className="text-slate-400">—</span>;
        const ratio = verifications / sends;
        return <span className={`tabular-nums ${ratio < 0.1 ? "font-medium text-red-600" : ""}`}>{formatPercent(ratio)}</span>;
      },
    }),
  ]);
}

const byCountry = columnsFor("country");
const byPrefix = columnsFor("prefix");

/** Sends vs verifications of the last 24 hours, the busiest first. */
export function SmsConversionTable({ by, rows }: { by: "country" | "prefix"; rows: ConversionRow[] }) {
  return (
    <DataTable
      columns={by === "country" ? byCountry : byPrefix}
      data={rows}
      getRowId={(row) => `${row.country}:${row.key}`}
      cursors={{ next: null, previous: null }}
      summary={`${rows.length} busiest ${by === "country" ? "countries" : "prefixes"}`}
      emptyTitle="No codes sent in the last 24 hours"
    />
  );
}
