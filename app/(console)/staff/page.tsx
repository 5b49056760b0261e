import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { requireStaff } from "@/app/_server/require-staff";
import { ApiTokensTable } from "@/app/(console)/account/_components/api-tokens-table";
import { toApiTokenRow } from "@/app/(console)/account/_components/api-token-rows";
import { CreateApiTokenDialog } from "@/app/(console)/account/_components/create-api-token-dialog";
import { CreateStaffDialog } from "@/app/(console)/staff/_components/create-staff-dialog";
import type { StaffRow } from "@/app/(console)/staff/_components/staff-rows";
import { StaffTable } from "@/app/(console)/staff/_components/staff-table";
import { PageHeader } from "@/components/ui/page-header";
import { listApiTokens, listStaff } from "@/lib/staff/list-staff";
import { getStaffSecurity } from "@/lib/staff/security-settings";
import { RequireTwoFactorSetting } from "@/app/(console)/staff/_components/require-two-factor-setting";
import { API_TOKEN_DEFAULT_DAYS, API_TOKEN_MAX_DAYS } from "@/lib/staff/staff.schema";

export const metadata: Metadata = { title: "Staff & API tokens" };

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export default async function StaffPage() {
  const actor = await requireStaff("manage_staff");
  const db = getDb();
  const [staff, tokens, security] = await Promise.all([listStaff(db, actor), listApiTokens(db, actor), getStaffSecurity(db)]);
  const now = Date.now();

  const staffRows: StaffRow[] = staff.map((s) => ({
    id: s.id,
    email: s.email,
    name: s.name,
    role: s.role,
    disabled: s.disabledAt !== null,
    hasPassword: s.hasPassword,
    twoFactor: s.twoFactor,
    passwordChangeRequired: s.passwordChangeRequired,
    lastSignInAt: iso(s.lastSignInAt),
    createdAt: s.createdAt.toISOString(),
    isYou: s.id === actor.staffId,
  }));
  const tokenRows = tokens.map((t) => toApiTokenRow(t, now));

  return (
    <>
      <PageHeader
        title="Staff & API tokens"
        description="Who can use the console and the admin API, with which role. A role change, a disable or a password reset ends the member's sessions at once; every change is in the audit log."
      />
      <section aria-labelledby="staff-heading" className="space-y-3">
        <div className="flex items-end justify-between gap-4">
          <div>
            <h2 id="staff-heading" className="text-base font-semibold text-slate-900">
              Staff
            </h2>
            <p className="text-sm text-slate-500">Admins manage staff and policy; growth runs batches; support helps people; product runs phases.</p>
          </div>
          <CreateStaffDialog />
        </div>
        <RequireTwoFactorSetting required={security.requireTwoFactor} withoutTwoFactor={staffRows.filter((r) => !r.disabled && !r.twoFactor).length} />
        <StaffTable rows={staffRows} />
      </section>
      <section aria-labelledby="tokens-heading" className="mt-10 space-y-3">
        <div className="flex items-end justify-between gap-4">
          <div>
            <h2 id="tokens-heading" className="text-base font-semibold text-slate-900">
              API tokens
            </h2>
            <p className="text-sm text-slate-500">For /api/admin/v1. A token belongs to the staff member who created it, acts with their current role, stops working when they are disabled, and expires ({API_TOKEN_DEFAULT_DAYS} days unless set otherwise). Every member creates and revokes their own on the Account page; here you see and revoke everyone&apos;s.</p>
          </div>
          <CreateApiTokenDialog owner={actor.email} defaultDays={API_TOKEN_DEFAULT_DAYS} maxDays={API_TOKEN_MAX_DAYS} />
        </div>
        <ApiTokensTable rows={tokenRows} scope="everyone" />
      </section>
    </>
  );
}
