import { formatCount, formatPercent } from "@/components/format";
import type { PhaseQuotaUse } from "@/lib/stats/phase-report";

function Row({ label, value, hint, testId }: { label: string; value: number; hint?: string; testId?: string }) {
  return (
    <div className="flex items-baseline justify-between gap-4 py-1.5 text-sm">
      <dt className="text-slate-500">
        {label}
        {hint ? <span className="block text-xs text-slate-400">{hint}</span> : null}
      </dt>
      <dd className="font-medium text-slate-900 tabular-nums" data-testid={testId}>
        {value > 0 && label !== "Held now" ? "+" : ""}
        {formatCount(value)}
      </dd>
    </div>
  );
}

/** The phase's members' invite balances: what they were given, what they spent, what they hold. */
export function QuotaUse({ quota }: { quota: PhaseQuotaUse }) {
  const { ledger } = quota;
  const given = ledger.phase_topup + ledger.grant + Math.max(0, ledger.adjustment);
  const spent = -ledger.invite_sent - ledger.invite_refund;
  const share = given > 0 ? Math.min(1, Math.max(0, spent / given)) : null;
  if (quota.members === 0) return <p className="text-sm text-slate-500">No members yet.</p>;
  return (
    <div data-testid="phase-quota">
      <p className="text-3xl font-semibold tracking-tight text-slate-900 tabular-nums">
        {share === null ? "—" : formatPercent(share)}
        <span className="ml-2 text-sm font-normal text-slate-500">of the invites given are used</span>
      </p>
      <div className="mt-3 h-2 overflow-hidden rounded-full bg-slate-100" aria-hidden>
        <div className="h-full rounded-full bg-brand-500" style={{ width: `${(share ?? 0) * 100}%` }} />
      </div>
      <dl className="mt-4 divide-y divide-slate-100 border-t border-slate-100">
        <Row label="Topped up at activations" value={ledger.phase_topup} testId="quota-topup" />
        <Row label="Granted by staff" value={ledger.grant} testId="quota-grant" />
        <Row label="Sent to friends" value={ledger.invite_sent} testId="quota-sent" />
        <Row label="Refunded" value={ledger.invite_refund} hint="Invitations that expired unredeemed" testId="quota-refund" />
        {ledger.adjustment !== 0 ? <Row label="Adjustments" value={ledger.adjustment} testId="quota-adjustment" /> : null}
        <Row label="Held now" value={quota.balance} hint={`${formatCount(quota.exhausted)} of ${formatCount(quota.members)} members have none left`} testId="quota-balance" />
      </dl>
    </div>
  );
}
