import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { requireStaff } from "@/app/_server/require-staff";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { RoleBadge } from "@/components/role-badge";
import { getAccountSecurity } from "@/lib/staff/account";
import { listOwnApiTokens } from "@/lib/staff/list-staff";
import { API_TOKEN_DEFAULT_DAYS, API_TOKEN_MAX_DAYS } from "@/lib/staff/staff.schema";
import { ApiTokensTable } from "./_components/api-tokens-table";
import { toApiTokenRow } from "./_components/api-token-rows";
import { ChangePasswordForm } from "./_components/change-password-form";
import { CreateApiTokenDialog } from "./_components/create-api-token-dialog";
import { TwoFactorSetup } from "./_components/two-factor-setup";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const actor = await requireStaff();
  const db = getDb();
  const [account, tokens] = await Promise.all([getAccountSecurity(db, actor), listOwnApiTokens(db, actor)]);
  const now = Date.now();
  const tokenRows = tokens.map((t) => toApiTokenRow(t, now));
  return (
    <>
      <PageHeader title="Account" description="Your password, second factor and API tokens. Every change is in the audit log." />
      <div className="space-y-6">
        <Card>
          <CardHeader title="You" />
          <CardBody className="flex items-center gap-3 text-sm text-slate-700">
            <span data-testid="account-email">{account.email}</span>
            {account.name ? <span className="text-slate-500">· {account.name}</span> : null}
            <RoleBadge role={actor.role} />
          </CardBody>
        </Card>
        <Card>
          <CardHeader
            title="Second factor"
            description="A code from an authenticator app on your phone at each sign-in, so a leaked password alone does not get in."
          />
          <CardBody>
            <TwoFactorSetup
              enabledAt={account.twoFactorEnabledAt?.toISOString() ?? null}
              recoveryCodesLeft={account.recoveryCodesLeft}
              required={account.twoFactorRequired}
            />
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Password" description="Signs you out everywhere once changed." />
          <CardBody>
            {account.hasPassword ? (
              <ChangePasswordForm />
            ) : (
              <p className="text-sm text-slate-600">You sign in through single sign-on; there is no Gatehouse password to change.</p>
            )}
          </CardBody>
        </Card>
        <Card data-testid="account-api-tokens">
          <CardHeader
            title="API tokens"
            description={`For scripts and tools calling /api/admin/v1. A token acts as you, with your current role, is audited as you, stops working if your account is disabled, and expires (${API_TOKEN_DEFAULT_DAYS} days unless set otherwise).`}
            action={<CreateApiTokenDialog owner={account.email} defaultDays={API_TOKEN_DEFAULT_DAYS} maxDays={API_TOKEN_MAX_DAYS} />}
          />
          <ApiTokensTable rows={tokenRows} scope="own" />
        </Card>
      </div>
    </>
  );
}
