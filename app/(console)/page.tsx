import type { Metadata } from "next";
import { BadgeCheck, CalendarCheck, Clock, Hourglass, MailCheck, MailX, Ticket, UserCheck } from "lucide-react";
import { getDb } from "@/db/client";
import { requireStaff } from "@/app/_server/require-staff";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { KpiCard } from "@/components/kpi-card";
import { StatusBreakdown } from "@/components/status-breakdown";
import { CapacityGauge } from "@/app/(console)/_components/capacity-gauge";
import { DailyChart } from "@/app/(console)/_components/daily-chart";
import { Funnel } from "@/app/(console)/_components/funnel";
import { formatCount, formatPercent, humanize } from "@/components/format";
import { formatDuration } from "@/components/duration";
import { getOverviewActivity } from "@/lib/stats/activity";
import { getOverviewCounts } from "@/lib/stats/overview";
import { forecastQueue } from "@/lib/stats/admission-forecast";
import { readForecastBasis } from "@/lib/stats/forecast-basis";
import { ForecastCard } from "@/app/(console)/_components/forecast-card";

export const metadata: Metadata = { title: "Overview" };

const DAYS = 30;

/** "1,234" or "≈ 1,234" for a planner estimate. */
function shown(value: number, exact: boolean): string {
  return exact ? formatCount(value) : `≈ ${formatCount(value)}`;
}

export default async function OverviewPage() {
  await requireStaff("view");
  const db = getDb();
  // The forecast reads its basis fresh here (staff traffic is light); the public API caches it.
  const [counts, activity, basis] = await Promise.all([getOverviewCounts(db), getOverviewActivity(db, { days: DAYS }), readForecastBasis(db)]);
  const inv = counts.invitations;
  const reg = counts.registrations;
  const live = inv.pending + inv.sent;
  // Of the invitations that ran their course; outstanding ones are not counted against it.
  const settled = inv.redeemed + inv.expired + inv.revoked;
  const registrationsIn30Days = activity.days.reduce((sum, d) => sum + d.registrations, 0);
  const admissionsIn30Days = activity.days.reduce((sum, d) => sum + d.admissions, 0);
  const registrationsAllExact = activity.days.every((d) => d.registrationsExact);
  const admissionsAllExact = activity.days.every((d) => d.admissionsExact);
  const phaseSummary = Object.entries(counts.phases)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${humanize(status).toLowerCase()}`)
    .join(" · ");

  return (
    <>
      <PageHeader
        title="Overview"
        description="The state of the beta right now: the queue, admissions and invitations. Figures marked ≈ are database estimates (exact counting would scan millions of rows)."
      />

      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <KpiCard
          testId="kpi-waiting"
          label="Waiting in queue"
          value={formatCount(counts.waiting)}
          icon={Hourglass}
          hint={`${shown(counts.registrationsTotal, counts.registrationsExact)} registrations in total`}
        />
        <KpiCard
          testId="kpi-verified-today"
          label="Verified today"
          value={formatCount(activity.verifiedToday)}
          icon={CalendarCheck}
          hint="Verified since 00:00 UTC and still waiting in the queue"
        />
        <KpiCard
          testId="kpi-members"
          label="Admitted members"
          value={shown(counts.members, counts.membersExact)}
          icon={UserCheck}
          hint={`${shown(admissionsIn30Days, admissionsAllExact)} in the last ${DAYS} days`}
        />
        <KpiCard
          testId="kpi-median-wait"
          label="Median wait"
          value={activity.medianWaitSeconds === null ? "—" : formatDuration(activity.medianWaitSeconds)}
          icon={Clock}
          hint={
            activity.medianWaitSeconds === null
              ? `Nobody admitted in the last ${DAYS} days`
              : `Verified → admitted, latest ${formatCount(activity.medianWaitSample)} admissions`
          }
        />
        <KpiCard
          testId="kpi-invitations-live"
          label="Invitations out"
          value={shown(live, counts.invitationsExact)}
          icon={Ticket}
          hint={`${shown(inv.sent, counts.invitationsExact)} delivered · ${shown(inv.pending, counts.invitationsExact)} awaiting delivery`}
        />
        <KpiCard testId="kpi-invitations-redeemed" label="Invitations redeemed" value={shown(inv.redeemed, counts.invitationsExact)} icon={MailCheck} hint="Each one made a member" />
        <KpiCard
          testId="kpi-invitations-expired"
          label="Invitations expired"
          value={shown(inv.expired, counts.invitationsExact)}
          icon={MailX}
          hint={`${shown(inv.revoked, counts.invitationsExact)} revoked by staff`}
        />
        <KpiCard
          testId="kpi-redemption-rate"
          label="Redemption rate"
          value={settled === 0 ? "—" : formatPercent(inv.redeemed / settled)}
          icon={BadgeCheck}
          hint="Redeemed of invitations that were redeemed, expired or revoked"
        />
      </div>

      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader
            title="Registrations per day"
            description={`Last ${DAYS} days (UTC) · ${shown(registrationsIn30Days, registrationsAllExact)} in total${registrationsAllExact ? "" : " · lighter bars are estimates"}`}
          />
          <CardBody>
            <DailyChart
              testId="chart-registrations"
              name="Registrations"
              color="oklch(0.56 0.19 265)"
              points={activity.days.map((d) => ({ day: d.day, value: d.registrations, exact: d.registrationsExact }))}
            />
          </CardBody>
        </Card>
        <Card>
          <CardHeader
            title="Admissions per day"
            description={`Last ${DAYS} days (UTC) · ${shown(admissionsIn30Days, admissionsAllExact)} members admitted${admissionsAllExact ? "" : " · lighter bars are estimates"}`}
          />
          <CardBody>
            <DailyChart
              testId="chart-admissions"
              name="Admissions"
              color="oklch(0.6 0.15 160)"
              points={activity.days.map((d) => ({ day: d.day, value: d.admissions, exact: d.admissionsExact }))}
            />
          </CardBody>
        </Card>
      </div>

      <ForecastCard forecast={forecastQueue(basis)} />

      <div className="mt-6 grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader title="Funnel" description="Where registrations are now: how far each one got" />
          <CardBody>
            <Funnel
              steps={[
                { label: "Registered", value: counts.registrationsTotal, exact: counts.registrationsExact, hint: "Every registration, verified or not" },
                {
                  label: "Verified",
                  value: reg.waiting + reg.invited + reg.expired + reg.admitted + reg.removed + reg.blocked,
                  exact: counts.registrationsExact,
                  hint: "Verified their phone (not pending, not lapsed)",
                },
                { label: "Invited", value: reg.invited + reg.expired + reg.admitted, exact: counts.registrationsExact, hint: "Received an invitation (outstanding, expired or redeemed)" },
                { label: "Admitted", value: counts.members, exact: counts.membersExact, hint: "Redeemed an invitation and became a member" },
              ]}
            />
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Active phase" description="Admitted members against the phase capacity" />
          <CardBody>
            <CapacityGauge phase={counts.activePhase} />
            <p className="mt-4 border-t border-slate-100 pt-3 text-xs text-slate-500" data-testid="phases-summary">
              Phases: {phaseSummary || "none yet"}
            </p>
          </CardBody>
        </Card>
        <Card className="lg:col-span-2">
          <CardHeader title="Registrations by status" description={counts.registrationsExact ? "Every registration, whatever its state" : "Planner estimates, except waiting (exact)"} />
          <CardBody>
            <StatusBreakdown testId="registrations-by-status" counts={reg} estimated={!counts.registrationsExact} exactKeys={["waiting"]} />
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Invitations by status" />
          <CardBody>
            <StatusBreakdown testId="invitations-by-status" counts={inv} estimated={!counts.invitationsExact} />
          </CardBody>
        </Card>
      </div>
    </>
  );
}
