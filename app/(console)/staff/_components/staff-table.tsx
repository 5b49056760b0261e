"use client";

import { createColumnHelper } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import type { DataTableFeatures } from "@/components/data-table/features";
import { RelativeTime } from "@/components/relative-time";
import { RoleBadge } from "@/components/role-badge";
import { Badge } from "@/components/ui/badge";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { setStaffDisabledAction, setStaffRoleAction } from "../actions";
import { RoleField } from "./role-field";
import type { StaffRow } from "./staff-rows";

const column = createColumnHelper<DataTableFeatures, StaffRow>();

function StaffActions({ row }: { row: StaffRow }) {
  return (
    <div className="flex justify-end gap-2">
      <ConfirmAction
        label="Change role"
        title={`Change the role of ${row.email}`}
        description="The new role applies to their very next request, in the console and through their API tokens."
        confirmLabel="Change role"
        hidden={{ staffId: row.id }}
        action={setStaffRoleAction}
        successMessage={`Role of ${row.email} changed`}
        fields={(errors) => (
          <RoleField id={`role-${row.id}`} defaultValue={row.role} error={errors.role} />
        )}
      />
      {row.isYou ? null : row.disabled ? (
        <ConfirmAction
          label="Enable"
          title={`Enable ${row.email}?`}
          description="They can sign in again with their password, and their unrevoked API tokens work again."
          confirmLabel="Enable account"
          hidden={{ staffId: row.id, disabled: "false" }}
          action={setStaffDisabledAction}
          successMessage={`${row.email} enabled`}
        />
      ) : (
        <ConfirmAction
          label="Disable"
          variant="secondary"
          confirmVariant="danger"
          title={`Disable ${row.email}?`}
          description="They are signed out on their next request and cannot sign in; their API tokens stop working. Nothing is deleted: you can enable the account again."
          confirmLabel="Disable account"
          hidden={{ staffId: row.id, disabled: "true" }}
          action={setStaffDisabledAction}
          successMessage={`${row.email} disabled`}
        />
      )}
    </div>
  );
}

const columns = column.columns([
  column.accessor("email", {
    header: "Staff member",
    cell: (info) => (
      <div className="min-w-0">
        <p className="font-medium text-slate-900">
          {info.getValue()}
          {info.row.original.isYou ? <span className="ml-2 text-xs font-normal text-slate-500">(you)</span> : null}
        </p>
        {info.row.original.name ? <p className="text-xs text-slate-500">{info.row.original.name}</p> : null}
      </div>
    ),
  }),
  column.accessor("role", { header: "Role", cell: (info) => <RoleBadge role={info.getValue()} /> }),
  column.accessor("disabled", {
    header: "Status",
    cell: (info) => (info.getValue() ? <Badge tone="red">Disabled</Badge> : <Badge tone="green">Active</Badge>),
  }),
  column.accessor("lastSignInAt", {
    header: "Last sign-in",
    cell: (info) => {
      const value = info.getValue();
      return value ? <RelativeTime iso={value} /> : <span className="text-slate-400">never</span>;
    },
  }),
  column.accessor("createdAt", { header: "Added", cell: (info) => <RelativeTime iso={info.getValue()} /> }),
  column.display({ id: "actions", header: "", cell: (info) => <StaffActions row={info.row.original} /> }),
]);

export function StaffTable({ rows }: { rows: StaffRow[] }) {
  const active = rows.filter((r) => !r.disabled).length;
  return (
    <DataTable
      columns={columns}
      data={rows}
      getRowId={(row) => row.id}
      cursors={{ next: null, previous: null }}
      summary={`${rows.length} staff ${rows.length === 1 ? "member" : "members"} · ${active} active`}
      emptyTitle="No staff yet"
      emptyHint="Add the first staff member with the button above."
    />
  );
}
