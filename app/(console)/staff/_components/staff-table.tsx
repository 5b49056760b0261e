"use client";

import { createColumnHelper } from "@tanstack/react-table";
import { DataTable } from "@/components/data-table/data-table";
import type { DataTableFeatures } from "@/components/data-table/features";
import { RelativeTime } from "@/components/relative-time";
import { RoleBadge } from "@/components/role-badge";
import { Badge } from "@/components/ui/badge";
import { ConfirmAction } from "@/components/ui/confirm-action";
import { resetStaffPasswordAction, resetStaffTwoFactorAction, setStaffDisabledAction, setStaffRoleAction } from "../actions";
import { SecretFormDialog } from "@/components/ui/secret-form-dialog";
import { RoleField } from "./role-field";
import type { StaffRow } from "./staff-rows";

const column = createColumnHelper<DataTableFeatures, StaffRow>();

function StaffActions({ row }: { row: StaffRow }) {
  return (
    <div className="flex flex-wrap justify-end gap-2 [&_button]:whitespace-nowrap">
      <ConfirmAction
        label="Change role"
        title={`Change the role of ${row.email}`}
        description="Their console sessions end: they sign in again under the new role. Their API tokens act with it from the next request."
        confirmLabel="Change role"
        hidden={{ staffId: row.id }}
        action={setStaffRoleAction}
        successMessage={`Role of ${row.email} changed`}
        fields={(errors) => (
          <RoleField id={`role-${row.id}`} defaultValue={row.role} error={errors.role} />
        )}
      />
      {row.isYou || !row.hasPassword ? null : (
        <SecretFormDialog
          label="Reset password"
          icon={null}
          variant="secondary"
          title={`Reset the password of ${row.email}`}
          description="A new password is generated and shown once. Give it to them by a channel you trust: they must choose their own at their next sign-in, and their open sessions end now."
          submitLabel="Reset password"
          fields={() => <input type="hidden" name="staffId" value={row.id} />}
          action={resetStaffPasswordAction}
          reveal={(data) => ({
            title: `New password for ${data.email}`,
            value: data.password,
            note: "Shown only now. They must change it when they sign in with it.",
          })}
          successMessage={`Password of ${row.email} reset`}
        />
      )}
      {row.isYou || !row.twoFactor ? null : (
        <ConfirmAction
          label="Reset 2FA"
          confirmVariant="danger"
          title={`Remove the second factor of ${row.email}?`}
          description="For someone who lost their phone: their authenticator and recovery codes stop working and their sessions end. They sign in with their password and set up a new one."
          confirmLabel="Remove second factor"
          hidden={{ staffId: row.id }}
          action={resetStaffTwoFactorAction}
          successMessage={`Second factor of ${row.email} removed`}
        />
      )}
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
    cell: (info) => (
      <div className="flex flex-wrap gap-1">
        {info.getValue() ? <Badge tone="red">Disabled</Badge> : <Badge tone="green">Active</Badge>}
        {info.row.original.passwordChangeRequired ? <Badge tone="amber">Must change password</Badge> : null}
      </div>
    ),
  }),
  column.accessor("twoFactor", {
    header: "2FA",
    cell: (info) => (info.getValue() ? <Badge tone="green">On</Badge> : <span className="text-slate-400">off</span>),
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
