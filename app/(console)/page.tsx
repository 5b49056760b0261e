import type { Metadata } from "next";
import { BadgeCheck, Hourglass, Ticket, UserCheck } from "lucide-react";
import { getDb } from "@/db/client";
import { requireStaff } from "@/app/_server/require-staff";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { KpiCard } from "@/components/overview/kpi-card";
import { StatusBreakdown } from "@/components/overview/status-breakdown";
import { CapacityGauge } from "@/components/overview/capacity-gauge";
import { formatCount, formatPercent } from "@/components/format";
import { getOverviewCounts } from "@/lib/stats/overview";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  await requireStaff("view");
  const counts = await getOverviewCounts(getDb());
  const inv = counts.invitations;
  const issued = inv.pending + inv.sent + inv.redeemed + inv.expired + inv.revoked;
  const live = inv.pending + inv.sent;

  return (
    <>
      <PageHeader title="Overview" description="The state of the beta right now: the queue, admissions and invitations." />

      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <KpiCard
          testId="kpi-waiting"
          label="Waiting in queue"
          value={formatCount(counts.waiting)}
          icon={Hourglass}
          hint={`${formatCount(counts.registrationsTotal)} registrations in total`}
        />
        <KpiCard
          testId="kpi-members"
          label="Admitted members"
          value={formatCount(counts.members)}
          icon={UserCheck}
          hint={`${formatCount(counts.registrations.admitted)} registrations admitted`}
        />
        <KpiCard
          testId="kpi-invitations-live"
          label="Invitations outstanding"
          value={formatCount(live)}
          icon={Ticket}
          hint={`${formatCount(inv.sent)} sent · ${formatCount(inv.pending)} pending`}
        />
        <KpiCard
          testId="kpi-redemption-rate"
          label="Redemption rate"
          value={issued === 0 ? "—" : formatPercent(inv.redeemed / issued)}
          icon={BadgeCheck}
          hint={`${formatCount(inv.redeemed)} redeemed of ${formatCount(issued)} issued`}
        />
      </div>

      <div className="mt-6 grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader title="Registrations by status" description="Every registration, whatever its state" />
          <CardBody>
            <StatusBreakdown testId="registrations-by-status" counts={counts.registrations} />
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Active phase" description="Admitted members against the phase capacity" />
          <CardBody>
            <CapacityGauge phase={counts.activePhase} />
          </CardBody>
        </Card>
        <Card className="lg:col-span-2">
          <CardHeader title="Invitations by status" />
          <CardBody>
            <StatusBreakdown testId="invitations-by-status" counts={counts.invitations} />
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Phases" />
          <CardBody>
            <StatusBreakdown testId="phases-by-status" counts={counts.phases} compact />
          </CardBody>
        </Card>
      </div>
    </>
  );
}
