import { Badge } from "@/components/ui/badge";
import { formatCount, formatPercent, humanize } from "@/components/format";
import type { ActivePhaseSummary } from "@/lib/stats/overview";

export function CapacityGauge({ phase }: { phase: ActivePhaseSummary | null }) {
  if (!phase) {
    return <p className="py-6 text-center text-sm text-slate-500">No phase is active. Activate one on the Phases page to start admitting.</p>;
  }
  const ratio = phase.capacity ? Math.min(1, phase.admitted / phase.capacity) : null;
  return (
    <div data-testid="active-phase">
      <div className="flex items-center justify-between gap-2">
        <div>
          <p className="font-medium text-slate-900">{phase.name}</p>
          <p className="text-xs text-slate-500">{humanize(phase.kind)} phase · {phase.slug}</p>
        </div>
        <Badge tone="green">Active</Badge>
      </div>
      <p className="mt-4 text-3xl font-semibold tracking-tight tabular-nums">
        <span data-testid="active-phase-admitted">{phase.admittedExact ? "" : "≈ "}{formatCount(phase.admitted)}</span>
        <span className="text-base font-normal text-slate-500">
          {phase.capacity === null ? " admitted · no capacity limit" : ` / ${formatCount(phase.capacity)}`}
        </span>
      </p>
      {ratio !== null ? (
        <>
          <div className="mt-3 h-2.5 overflow-hidden rounded-full bg-slate-100" role="meter" aria-valuemin={0} aria-valuemax={1} aria-valuenow={ratio} aria-label="Capacity used">
            <div className={`h-full rounded-full ${ratio >= 0.9 ? "bg-amber-500" : "bg-emerald-500"}`} style={{ width: `${ratio * 100}%` }} />
          </div>
          <p className="mt-1.5 text-xs text-slate-500">{formatPercent(ratio)} of capacity used</p>
        </>
      ) : null}
    </div>
  );
}
