import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ArrowLeft, Check, X } from "lucide-react";
import { getDb } from "@/db/client";
import { requireStaff } from "@/app/_server/require-staff";
import { formatCount, humanize } from "@/components/format";
import { HoldBadge, StatusBadge } from "@/components/status-badge";
import { RegistrationTimeline } from "@/app/(console)/registrations/_components/registration-timeline";
import { RelativeTime } from "@/components/relative-time";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/roles";
import { isAppError } from "@/lib/errors";
import { waitingCount } from "@/lib/registrations/position";
import { getRegistrationDetail } from "@/lib/registrations/registration-detail";
import { estimateAdmissionAt } from "@/lib/stats/admission-forecast";
import { readForecastBasis } from "@/lib/stats/forecast-basis";
import { AdmissionEstimate } from "@/app/(console)/_components/admission-estimate";
import { RegistrationActionPanel } from "../_components/action-panel";
import { DetailRow } from "@/components/ui/detail-row";
import { isUuid } from "@/lib/validation/fields";

export const metadata: Metadata = { title: "Registration" };


export default async function RegistrationPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireStaff("view");
  const { id } = await params;
  if (!isUuid(id)) notFound();
  const db = getDb();
  const [detail, waiting] = await Promise.all([
    getRegistrationDetail(db, actor, id).catch((error) => {
      if (isAppError(error) && error.code === "not_found") return null;
      throw error;
    }),
    waitingCount(db),
  ]);
  if (!detail) notFound();
  const { registration: r, priority, eligibility } = detail;
  // The same estimate as the app's estimatedAdmissionAt (read fresh here, cached there).
  const estimate = r.status === "waiting" ? estimateAdmissionAt(await readForecastBasis(db), { ...r, position: detail.position }) : null;
  const referralRaw = priority.verifiedReferrals * priority.referralBoost;

  return (
    <>
      <Link href="/waitlist" className="mb-3 inline-flex items-center gap-1 text-sm text-slate-500 hover:text-slate-900">
        <ArrowLeft className="size-4" aria-hidden /> Waitlist
      </Link>
      <PageHeader
        title={r.phone ?? "Erased registration"}
        description={`Registration ${r.id}`}
      />
      <div className="-mt-3 mb-6 flex flex-wrap items-center justify-between gap-3">
        <span className="flex items-center gap-2" data-testid="registration-status">
          <StatusBadge status={r.status} />
          {r.review === "hold" ? <HoldBadge /> : null}
        </span>
        <RegistrationActionPanel
          registrationId={r.id}
          status={r.status}
          review={r.review}
          hasLiveInvitation={detail.liveInvitation !== null}
          smsBudgetWithheld={detail.smsBudgetWithheld}
          canManage={can(actor.role, "manage_registration")}
          canBoost={can(actor.role, "manage_batches")}
        />
      </div>

      <div className="grid gap-6 lg:grid-cols-3">
        <Card>
          <CardHeader title="Position" description="Exact rank among everyone waiting." />
          <CardBody>
            {detail.position !== null ? (
              <>
                <p className="text-4xl font-semibold tabular-nums text-slate-900" data-testid="position">
                  #{formatCount(detail.position)}
                </p>
                <p className="mt-1 text-sm text-slate-500">of {formatCount(waiting)} waiting</p>
                {estimate ? <AdmissionEstimate estimate={estimate} /> : null}
              </>
            ) : (
              <p className="text-sm text-slate-600" data-testid="position">
                Not in the queue: {humanize(r.status).toLowerCase()}
                {r.statusReason ? ` — “${r.statusReason}”` : ""}.
              </p>
            )}
            <dl className="mt-4 divide-y divide-slate-100 border-t border-slate-100">
              <DetailRow label="Queued">{r.queuedAt ? <RelativeTime iso={r.queuedAt.toISOString()} /> : "—"}</DetailRow>
              <DetailRow label="Review">{r.review === "hold" ? <HoldBadge /> : "clear"}</DetailRow>
              {detail.liveInvitation ? (
                <DetailRow label="Open invitation">
                  <StatusBadge status={detail.liveInvitation.status} /> expires <RelativeTime iso={detail.liveInvitation.expiresAt.toISOString()} />
                </DetailRow>
              ) : null}
            </dl>
            {r.review === "hold" ? <p className="mt-3 text-xs text-amber-800">On hold: the place counts, but no batch admits this person until support clears the hold.</p> : null}
          </CardBody>
        </Card>

        <Card>
          <CardHeader title="Why this priority" description="Priority decides order first; time in the queue breaks ties." />
          <CardBody>
            <p className="text-4xl font-semibold tabular-nums text-slate-900" data-testid="priority-total">
              {priority.total}
            </p>
            <dl className="mt-4 divide-y divide-slate-100 border-t border-slate-100" data-testid="priority-breakdown">
              <DetailRow label="Referral points">
                <span className="tabular-nums">{priority.referralPoints}</span>
              </DetailRow>
              <p className="pb-2 text-xs text-slate-500">
                {priority.verifiedReferrals} verified {priority.verifiedReferrals === 1 ? "referral" : "referrals"} × {priority.referralBoost} ={" "}
                {referralRaw}, capped at {priority.referralBoostCap}
              </p>
              <DetailRow label="Staff boosts">
                <span className="tabular-nums">{priority.boostPoints}</span>
              </DetailRow>
              {priority.boosts.length ? (
                <ul className="space-y-1.5 py-2">
                  {priority.boosts.map((b, i) => (
                    <li key={i} className="text-xs text-slate-600">
                      <span className="font-medium tabular-nums text-slate-900">
                        {b.points > 0 ? "+" : ""}
                        {b.points}
                      </span>{" "}
                      <Badge>{humanize(b.category ?? "other")}</Badge> {b.reason} <span className="text-slate-400">— {b.by}</span>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="pb-2 text-xs text-slate-500">No staff boosts.</p>
              )}
              <DetailRow label="Legacy account claim">{r.legacyClaim ? "claimed — ignored by policy" : "none"}</DetailRow>
            </dl>
          </CardBody>
        </Card>

        <Card>
          <CardHeader title="Eligibility" description={eligibility ? `For the active phase, ${eligibility.phase.name} (${eligibility.phase.kind}).` : "No phase is active."} />
          <CardBody>
            {eligibility ? (
              <>
                <p className={eligibility.eligible ? "font-medium text-emerald-700" : "font-medium text-red-700"} data-testid="eligibility">
                  {eligibility.eligible ? "Eligible" : "Not eligible"}
                </p>
                <ul className="mt-3 space-y-2">
                  {eligibility.checks.map((c) => (
                    <li key={c.rule} className="flex gap-2 text-sm">
                      {c.ok ? <Check className="mt-0.5 size-4 shrink-0 text-emerald-600" aria-label="passes" /> : <X className="mt-0.5 size-4 shrink-0 text-red-600" aria-label="fails" />}
                      <span>
                        <span className="font-medium text-slate-900">{c.rule}:</span> <span className="text-slate-600">{c.detail}</span>
                      </span>
                    </li>
                  ))}
                </ul>
              </>
            ) : (
              <p className="text-sm text-slate-500">Eligibility is checked against the active phase when one runs.</p>
            )}
            <dl className="mt-4 divide-y divide-slate-100 border-t border-slate-100">
              <DetailRow label="Country">{r.phoneCountry}</DetailRow>
              <DetailRow label="Platform">{r.platform === "ios" ? "iOS" : "Android"}</DetailRow>
              <DetailRow label="Locale">{r.locale}</DetailRow>
              <DetailRow label="E-mail">{r.email ?? "—"}</DetailRow>
              <DetailRow label="Referral code">
                <span className="font-mono">{r.referralCode}</span>
              </DetailRow>
              <DetailRow label="Referred by">
                {r.referredBy ? (
                  <Link href={`/registrations/${r.referredBy}`} className="text-brand-700 hover:underline">
                    open referrer
                  </Link>
                ) : (
                  "—"
                )}
              </DetailRow>
              <DetailRow label="Registered">
                <RelativeTime iso={r.createdAt.toISOString()} />
              </DetailRow>
              {detail.member ? (
                <DetailRow label="Member">
                  <Link href={`/members/${detail.member.id}`} className="text-brand-700 hover:underline">
                    {detail.member.inviteQuota} invites left
                  </Link>
                </DetailRow>
              ) : null}
            </dl>
          </CardBody>
        </Card>
      </div>

      <Card className="mt-6">
        <CardHeader title="Timeline" description="Everything that happened to this registration, newest first." />
        <CardBody>
          <RegistrationTimeline
            items={detail.timeline.map((item) => ({ ...item, at: item.at.toISOString() }))}
          />
        </CardBody>
      </Card>
    </>
  );
}
