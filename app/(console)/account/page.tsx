import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { requireStaff } from "@/app/_server/require-staff";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { RoleBadge } from "@/components/role-badge";
import { getAccountSecurity } from "@/lib/staff/account";
import { ChangePasswordForm } from "./_components/change-password-form";
import { TwoFactorSetup } from "./_components/two-factor-setup";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const actor = await requireStaff();
  const account = await getAccountSecurity(getDb(), actor);
  return (
    <>
      <PageHeader title="Account" description="Your password and second factor. Every change is in the audit log." />
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
      </div>
    </>
  );
}
