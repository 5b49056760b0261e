"use client";

import { useMemo } from "react";
import { createColumnHelper } from "@tanstack/react-table";
import type { PhaseKind, PhaseStatus } from "@/db/schema";
import { DataTable } from "@/components/data-table/data-table";
import type { DataTableFeatures } from "@/components/data-table/features";
import { formatCount, humanize } from "@/components/format";
import { PhaseActions } from "./phase-actions";
import { PhaseStatusBadge } from "./phase-status-badge";

/** A phase as the page sends it to the browser. */
export interface PhaseRow {
  id: string;
  slug: string;
  name: string;
  kind: PhaseKind;
  status: PhaseStatus;
  startsAt: string | null;
  endsAt: string | null;
  capacity: number | null;
  dailyAdmissionCap: number | null;
  memberInviteQuota: number;
  invitationTtlHours: number;
  eligibility: string;
  admitted: number;
  invitationsLive: number;
  invitationsRedeemed: number;
}

const utc = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const when = (iso: string | null) => (iso ? `${utc.format(new Date(iso))} UTC` : null);

const column = createColumnHelper<DataTableFeatures, PhaseRow>();

function baseColumns() {
  return [
    column.accessor("name", {
      header: "Phase",
      cell: (info) => (
        <div>
          <span className="font-medium text-slate-900">{info.getValue()}</span>
          <p className="font-mono text-xs text-slate-500">{info.row.original.slug}</p>
        </div>
      ),
    }),
    column.accessor("kind", { header: "Kind", cell: (info) => humanize(info.getValue()) }),
    column.accessor("status", { header: "Status", cell: (info) => <PhaseStatusBadge status={info.getValue()} /> }),
    column.accessor("startsAt", {
      header: "Window",
      cell: (info) => {
        const start = when(info.getValue());
        const end = when(info.row.original.endsAt);
        return (
          <div className="text-xs whitespace-nowrap text-slate-600">
            <p>{start ? `from ${start}` : "no start set"}</p>
            <p className="text-slate-400">{end ? `until ${end}` : "open-ended"}</p>
          </div>
        );
      },
    }),
    column.accessor("admitted", {
      header: "Admitted",
      cell: (info) => {
        const { capacity, dailyAdmissionCap } = info.row.original;
        return (
          <div className="whitespace-nowrap tabular-nums">
            <p className="font-medium text-slate-900">
              {formatCount(info.getValue())}
              <span className="font-normal text-slate-500"> / {capacity === null ? "∞" : formatCount(capacity)}</span>
            </p>
            <p className="text-xs text-slate-400">{dailyAdmissionCap === null ? "no daily cap" : `${formatCount(dailyAdmissionCap)} a day max`}</p>
          </div>
        );
      },
    }),
    column.accessor("invitationsLive", {
      header: "Invitations",
      cell: (info) => (
        <div className="text-xs whitespace-nowrap text-slate-600 tabular-nums">
          <p>{formatCount(info.getValue())} outstanding</p>
          <p className="text-slate-400">{formatCount(info.row.original.invitationsRedeemed)} redeemed</p>
        </div>
      ),
    }),
    column.accessor("memberInviteQuota", {
      header: "Rules",
      cell: (info) => (
        <div className="text-xs text-slate-600">
          <p>
            {info.getValue()} invites per member · {info.row.original.invitationTtlHours} h TTL
          </p>
          <p className="text-slate-400">{info.row.original.eligibility}</p>
        </div>
      ),
    }),
  ];
}

export function PhasesTable({ rows, canManage }: { rows: PhaseRow[]; canManage: boolean }) {
  const columns = useMemo(
    () =>
      canManage
        ? [...baseColumns(), column.display({ id: "actions", header: "Actions", cell: (info) => <PhaseActions phase={info.row.original} /> })]
        : baseColumns(),
    [canManage],
  );
  return (
    <DataTable
      columns={columns}
      data={rows}
      getRowId={(row) => row.id}
      rowHref={(row) => `/phases/${row.id}`}
      cursors={{ next: null, previous: null }}
      summary={`${formatCount(rows.length)} ${rows.length === 1 ? "phase" : "phases"}`}
      emptyTitle="No phases yet"
      emptyHint={canManage ? "Create the first phase to start admitting people." : "Product staff define the beta's phases."}
    />
  );
}
