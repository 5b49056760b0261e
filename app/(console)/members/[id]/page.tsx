import { cursorsOf } from "@/components/data-table/features";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ArrowLeft } from "lucide-react";
import { getDb } from "@/db/client";
import { requireStaff } from "@/app/_server/require-staff";
import { formatListCount } from "@/components/format";
import { RelativeTime } from "@/components/relative-time";
import { Card, CardBody } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/roles";
import { isAppError } from "@/lib/errors";
import { getMemberWithLedger } from "@/lib/members/list-members";
import { ledgerPageInput } from "@/lib/members/list-quota-ledger";
import { LedgerTable } from "@/app/(console)/members/_components/ledger-table";
import { GrantQuotaButton } from "../_components/grant-button";
import { isUuid } from "@/lib/validation/fields";

export const metadata: Metadata = { title: "Member" };


type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function MemberPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: SearchParams }) {
  const actor = await requireStaff("view");
  const { id } = await params;
  if (!isUuid(id)) notFound();
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  // A hand-edited cursor shows the first page rather than an error.
  const parsed = ledgerPageInput.safeParse({ after: raw.after, before: raw.before, limit: 50 });
  const ledgerInput = parsed.success ? parsed.data : { limit: 50 };
  const member = await getMemberWithLedger(getDb(), actor, id, ledgerInput).catch((error) => {
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
      <section className="space-y-3" aria-labelledby="ledger-heading">
        <div>
          <h2 id="ledger-heading" className="text-base font-semibold text-slate-900">
            Quota ledger
          </h2>
          <p className="text-sm text-slate-500">Every change of the balance, newest first; the balance always equals the sum.</p>
        </div>
        <LedgerTable
          rows={member.ledger.rows.map((entry) => ({
            id: String(entry.id),
            createdAt: entry.createdAt.toISOString(),
            delta: entry.delta,
            reason: entry.reason,
            actor: entry.actor,
          }))}
          cursors={cursorsOf(member.ledger)}
          summary={formatListCount({ value: member.ledgerEntries, kind: "exact" }, "entry", "entries")}
        />
      </section>
    </>
  );
}
