import type { Metadata } from "next";
import Link from "next/link";
import { ArrowLeft, BadgeCheck, CalendarClock, Gauge, UserCheck } from "lucide-react";
import { getDb } from "@/db/client";
import type { Phase } from "@/db/schema";
import { requireStaff } from "@/app/_server/require-staff";
import { formatCount, formatPercent, humanize } from "@/components/format";
import { KpiCard } from "@/components/kpi-card";
import { StatusBreakdown } from "@/components/status-breakdown";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/roles";
import { listAllowedPhoneEntries } from "@/lib/phases/allowed-phone-entries";
import { getPhaseReport } from "@/lib/stats/phase-report";
import { AdmissionsChart } from "../_components/admissions-chart";
import { PhaseActions } from "../_components/phase-actions";
import { PhaseSettingsList } from "../_components/phase-settings-list";
import { PhaseStatusBadge } from "../_components/phase-status-badge";
import { QuotaUse } from "../_components/quota-use";
import { UseMeter } from "../_components/use-meter";
import { phaseOrNotFound } from "./load-phase";

export const metadata: Metadata = { title: "Phase" };

const utc = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** "opened 28 Oct 2026, 19:11 UTC", "starts …", "closed …". */
function lifeLine(phase: Phase): string {
  if (phase.status === "closed") return phase.closedAt ? `closed ${utc.format(phase.closedAt)} UTC` : "closed";
  if (phase.status === "active") return phase.activatedAt ? `opened ${utc.format(phase.activatedAt)} UTC` : "";
  if (phase.status === "scheduled" && phase.startsAt) return `opens itself ${utc.format(phase.startsAt)} UTC`;
  return "not scheduled yet";
}

export default async function PhasePage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireStaff("view");
  const db = getDb();
  const phase = await phaseOrNotFound(db, (await params).id);
  const [report, allowList] = await Promise.all([
    getPhaseReport(db, phase),
    phase.kind === "internal" ? listAllowedPhoneEntries(db, actor, phase.id) : Promise.resolve(null),
  ]);
  const canManage = can(actor.role, "manage_phases");
  const editable = phase.status !== "closed";
  const outstanding = report.invitations.pending + report.invitations.sent;
  const settled = report.invitations.redeemed + report.invitations.expired + report.invitations.revoked;

  return (
    <>
      <Link href="/phases" className="mb-3 inline-flex items-center gap-1 text-sm text-slate-500 hover:text-slate-900">
        <ArrowLeft className="size-4" aria-hidden /> Phases
      </Link>
      <PageHeader title={phase.name} description={`${humanize(phase.kind)} phase · ${phase.slug}`} />
      <div className="-mt-3 mb-6 flex flex-wrap items-center justify-between gap-3">
        <span className="flex items-center gap-2 text-sm text-slate-500" data-testid="phase-status">
          <PhaseStatusBadge status={phase.status} />
          {lifeLine(phase)}
        </span>
        {canManage && editable ? <PhaseActions phase={{ id: phase.id, name: phase.name, status: phase.status }} /> : null}
      </div>

      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <KpiCard
          testId="phase-admitted"
          label="Admitted members"
          value={formatCount(report.admitted)}
          icon={UserCheck}
          hint={phase.capacity === null ? "No capacity limit" : `Capacity ${formatCount(phase.capacity)}`}
        />
        <Card className="p-5" data-testid="phase-capacity">
          <div className="flex items-center justify-between">
            <p className="text-sm font-medium text-slate-500">Capacity used</p>
            <span className="flex size-8 items-center justify-center rounded-lg bg-brand-50 text-brand-600">
              <Gauge className="size-4" aria-hidden />
            </span>
          </div>
          <div className="mt-3">
            <UseMeter used={report.capacityUsed} limit={phase.capacity} label="Capacity used" testId="phase-capacity-meter" />
          </div>
          <p className="mt-2 text-xs text-slate-500">Members plus {formatCount(outstanding)} outstanding invitations</p>
        </Card>
        <Card className="p-5" data-testid="phase-daily-cap">
          <div className="flex items-center justify-between">
            <p className="text-sm font-medium text-slate-500">Admitted today (UTC)</p>
            <span className="flex size-8 items-center justify-center rounded-lg bg-brand-50 text-brand-600">
              <CalendarClock className="size-4" aria-hidden />
            </span>
          </div>
          {phase.status === "active" ? (
            <>
              <div className="mt-3">
                <UseMeter used={report.admittedToday} limit={phase.dailyAdmissionCap} label="Daily cap used" testId="phase-daily-cap-meter" />
              </div>
              <p className="mt-2 text-xs text-slate-500">Invitations issued today plus direct admissions</p>
            </>
          ) : (
            <>
              <p className="mt-3 text-3xl font-semibold tracking-tight text-slate-900">—</p>
              <p className="mt-1 text-xs text-slate-500">
                {phase.status === "closed" ? "Closed: it admits nobody" : "Admits nobody until it is active"}
                {phase.dailyAdmissionCap === null ? " · no daily cap" : ` · cap ${formatCount(phase.dailyAdmissionCap)} a day`}
              </p>
            </>
          )}
        </Card>
        <KpiCard
          testId="phase-redemption"
          label="Redemption rate"
          value={report.redemptionRate === null ? "—" : formatPercent(report.redemptionRate)}
          icon={BadgeCheck}
          hint={settled === 0 ? "No invitation has run its course yet" : `${formatCount(report.invitations.redeemed)} of ${formatCount(settled)} redeemed, expired or revoked`}
        />
      </div>

      <div className="mt-6 grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader
            title="Admitted over time"
            description={report.days.length ? `Per UTC day since the phase opened · ${formatCount(report.admitted)} in total` : "Nothing yet"}
          />
          <CardBody>
            {report.days.length ? (
              <AdmissionsChart days={report.days} capacity={phase.capacity} />
            ) : (
              <p className="py-16 text-center text-sm text-slate-500" data-testid="phase-admissions-empty">
                {phase.status === "draft" || phase.status === "scheduled" ? "The phase has not opened yet: nobody was admitted in it." : "Nobody was admitted in this phase."}
              </p>
            )}
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Invitations by status" description={`${formatCount(outstanding)} outstanding`} />
          <CardBody>
            <StatusBreakdown testId="phase-invitations" counts={report.invitations} />
          </CardBody>
        </Card>
      </div>

      <div className="mt-6 grid gap-6 lg:grid-cols-3">
        <Card>
          <CardHeader title="Members' invite quotas" description={`Invites held and spent by the ${formatCount(report.quota.members)} members admitted in this phase`} />
          <CardBody>
            <QuotaUse quota={report.quota} />
          </CardBody>
        </Card>
        <Card className={allowList ? "" : "lg:col-span-2"}>
          <CardHeader title="Settings" description={editable ? "Edit them from the Edit button (product and admin)." : "A closed phase keeps its settings."} />
          <CardBody>
            <PhaseSettingsList phase={phase} allowListTotal={allowList?.total ?? null} />
          </CardBody>
        </Card>
        {allowList ? (
          <Card>
            <CardHeader
              title="Employee allow-list"
              description={`${formatCount(allowList.total)} ${allowList.total === 1 ? "number" : "numbers"}${can(actor.role, "view_full_phone") ? "" : " · masked for your role"}`}
            />
            <CardBody>
              {allowList.entries.length ? (
                <ul className="max-h-72 space-y-1 overflow-y-auto font-mono text-sm text-slate-700" data-testid="allow-list">
                  {allowList.entries.map((entry) => (
                    <li key={entry.ref}>{entry.phone}</li>
                  ))}
                </ul>
              ) : (
                <p className="text-sm text-slate-500">Nobody is on the list: nobody can be admitted in this internal phase.</p>
              )}
              {allowList.total > allowList.entries.length ? (
                <p className="mt-2 text-xs text-slate-500">and {formatCount(allowList.total - allowList.entries.length)} more</p>
              ) : null}
            </CardBody>
          </Card>
        ) : null}
      </div>
    </>
  );
}
