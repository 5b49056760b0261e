import { cursorsOf } from "@/components/data-table/features";
import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { policyDecisionKind, screeningOutcome } from "@/db/schema";
import { requireStaff } from "@/app/_server/require-staff";
import type { DataTableFilter } from "@/components/data-table/features";
import { formatListCount, humanize } from "@/components/format";
import { DecisionsTable, type DecisionRow } from "@/app/(console)/policy/_components/decisions-table";
import { PolicySettingsForm } from "@/app/(console)/policy/_components/policy-settings-form";
import { SmsSpendingSection } from "@/app/(console)/policy/_components/sms-spending-section";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/auth/roles";
import { countDecisions, decisionListInput, listDecisions, screeningReasons } from "@/lib/policy/list-decisions";
import { getPolicySettings } from "@/lib/policy/get-policy-settings";
import { getSmsOverview } from "@/lib/policy/get-sms-overview";
import { getRateLimiter } from "@/lib/rate-limit/rate-limiter";

export const metadata: Metadata = { title: "Policy" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const filters: DataTableFilter[] = [
  { id: "kind", label: "Decision", kind: "select", options: policyDecisionKind.enumValues.map((k) => ({ value: k, label: humanize(k) })) },
  { id: "outcome", label: "Outcome", kind: "select", options: screeningOutcome.enumValues.map((o) => ({ value: o, label: humanize(o) })) },
  { id: "reason", label: "Reason", kind: "select", options: screeningReasons.map((r) => ({ value: r, label: humanize(r) })) },
];

export default async function PolicyPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireStaff("view");
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const parsed = decisionListInput.safeParse({ ...raw, limit: 50 });
  const input = parsed.success ? parsed.data : decisionListInput.parse({});
  const db = getDb();
  const settings = await getPolicySettings(db);
  const [page, count, sms] = await Promise.all([
    listDecisions(db, actor, input),
    countDecisions(db, input),
    getSmsOverview(db, actor, { settings, limiter: getRateLimiter() }),
  ]);

  const rows: DecisionRow[] = page.rows.map((d) => ({
    id: String(d.id),
    createdAt: d.createdAt.toISOString(),
    kind: d.kind,
    outcome: d.outcome,
    reasons: d.reasons,
    registrationId: d.registrationId,
    details: d.details ? JSON.stringify(d.details) : null,
  }));

  return (
    <>
      <PageHeader
        title="Policy"
        description="The fresh-registration policy: nothing carries over from the old service, every registration is screened, and every decision is recorded."
      />
      <Card className="mb-8">
        <CardHeader
          title="Settings"
          description={`Last changed ${settings.updatedAt.toISOString().replace("T", " ").slice(0, 16)} UTC. Changes reach registrations within seconds and apply to the next sweep.`}
        />
        <CardBody>
          <PolicySettingsForm
            canEdit={can(actor.role, "manage_policy")}
            values={{
              referralBoost: settings.referralBoost,
              referralBoostCap: settings.referralBoostCap,
              verificationWindowMinutes: settings.verificationWindowMinutes,
              verificationMaxAttempts: settings.verificationMaxAttempts,
              retentionDays: settings.retentionDays,
              allowedCountries: settings.allowedCountries?.join(", ") ?? "",
              blockedPrefixes: settings.blockedPrefixes.join("\n"),
              velocityWindowMinutes: settings.velocityWindowMinutes,
              velocityMaxPerIp: settings.velocityMaxPerIp,
              velocityMaxPerPrefix: settings.velocityMaxPerPrefix,
              velocityPrefixDigits: settings.velocityPrefixDigits,
              reminderHoursBeforeExpiry: settings.reminderHoursBeforeExpiry === null ? "" : String(settings.reminderHoursBeforeExpiry),
              smsBudgetCountryPerHour: settings.smsBudgetCountryPerHour,
              smsBudgetPrefixPerHour: settings.smsBudgetPrefixPerHour,
              smsBudgetGlobalPerMinute: settings.smsBudgetGlobalPerMinute,
              prefixHoldMinSends: settings.prefixHoldMinSends,
              prefixHoldMaxVerifiedPct: settings.prefixHoldMaxVerifiedPct,
            }}
          />
        </CardBody>
      </Card>

      <SmsSpendingSection overview={sms} canRelease={can(actor.role, "manage_policy")} />

      <section aria-labelledby="decisions-log">
        <h2 id="decisions-log" className="mb-3 text-lg font-semibold text-slate-900">
          Decisions log
        </h2>
        <DecisionsTable
          rows={rows}
          filters={filters}
          sort={{ columns: ["createdAt"], by: "createdAt", dir: input.dir }}
          cursors={cursorsOf(page)}
          summary={formatListCount(count, "decision", "decisions")}
          filtered={Boolean(input.kind || input.outcome || input.reason)}
        />
      </section>
    </>
  );
}
