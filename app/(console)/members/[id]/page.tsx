import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ArrowLeft } from "lucide-react";
import { getDb } from "@/db/client";
import { requireStaff } from "@/app/_server/require-staff";
import { humanize } from "@/components/format";
import { RelativeTime } from "@/components/relative-time";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/roles";
import { isAppError } from "@/lib/errors";
import { getMemberWithLedger, LEDGER_ROWS } from "@/lib/members/list-members";
import { GrantQuotaButton } from "./grant-button";

export const metadata: Metadata = { title: "Member" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function MemberPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireStaff("view");
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  const member = await getMemberWithLedger(getDb(), actor, id).catch((error) => {
    if (isAppError(error) && error.code === "not_found") return null;
    throw error;
  });
  if (!member) notFound();

  return (
    <>
      <Link href="/members" className="mb-3 inline-flex items-center gap-1 text-sm text-slate-500 hover:text-slate-900">
        <ArrowLeft className="size-4" aria-hidden /> Members
      </Link>
      <PageHeader
        title={member.phone ?? "Member"}
        description={`Admitted in ${member.phaseName}. Member ${member.id}`}
        actions={can(actor.role, "manage_batches") ? <GrantQuotaButton memberId={member.id} /> : null}
      />
      <div className="mb-6 grid gap-6 sm:grid-cols-3">
        <Card>
          <CardBody>
            <p className="text-xs font-medium uppercase tracking-wide text-slate-500">Invites left</p>
            <p className="mt-1 text-3xl font-semibold tabular-nums text-slate-900" data-testid="invite-quota">
              {member.inviteQuota}
            </p>
            <p className="mt-1 text-xs text-slate-500">
              Ledger total {member.ledgerTotal} {member.ledgerTotal === member.inviteQuota ? "— matches" : "— MISMATCH"}
            </p>
          </CardBody>
        </Card>
        <Card>
          <CardBody>
            <p className="text-xs font-medium uppercase tracking-wide text-slate-500">Admitted</p>
            <p className="mt-1 text-lg font-medium text-slate-900">
              <RelativeTime iso={member.admittedAt.toISOString()} />
            </p>
          </CardBody>
        </Card>
        <Card>
          <CardBody>
            <p className="text-xs font-medium uppercase tracking-wide text-slate-500">Registration</p>
            <Link href={`/registrations/${member.registrationId}`} className="mt-1 block font-mono text-sm text-brand-700 hover:underline">
              {member.registrationId.slice(0, 8)}…
            </Link>
          </CardBody>
        </Card>
      </div>
      <Card>
        <CardHeader title="Quota ledger" description="Every change of the balance, newest first; the balance always equals the sum." />
        <div className="overflow-x-auto">
          <table className="min-w-full text-sm">
            <thead>
              <tr className="border-b border-slate-200 bg-slate-50/70 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
                <th className="px-4 py-2.5">When</th>
                <th className="px-4 py-2.5">Change</th>
                <th className="px-4 py-2.5">Reason</th>
                <th className="px-4 py-2.5">By</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100" data-testid="ledger">
              {member.ledger.length === 0 ? (
                <tr>
                  <td colSpan={4} className="px-4 py-10 text-center text-slate-500">
                    No ledger rows.
                  </td>
                </tr>
              ) : (
                member.ledger.map((entry) => (
                  <tr key={entry.id}>
                    <td className="px-4 py-2.5">
                      <RelativeTime iso={entry.createdAt.toISOString()} />
                    </td>
                    <td className={entry.delta > 0 ? "px-4 py-2.5 font-semibold tabular-nums text-emerald-700" : "px-4 py-2.5 font-semibold tabular-nums text-red-700"}>
                      {entry.delta > 0 ? "+" : ""}
                      {entry.delta}
                    </td>
                    <td className="px-4 py-2.5">
                      <Badge>{humanize(entry.reason)}</Badge>
                    </td>
                    <td className="px-4 py-2.5 font-mono text-xs text-slate-500">{entry.actor}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
        {member.ledger.length >= LEDGER_ROWS ? (
          <p className="border-t border-slate-100 px-4 py-3 text-xs text-slate-500">Showing the newest {LEDGER_ROWS} entries.</p>
        ) : null}
      </Card>
    </>
  );
}
