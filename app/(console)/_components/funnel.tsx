import { formatCount, formatPercent } from "@/components/format";

export interface FunnelStep {
  label: string;
  value: number;
  /** False for a planner estimate (shown with "≈"). */
  exact: boolean;
  hint: string;
}

/** Registered → verified → invited → admitted, each bar relative to the first step. */
export function Funnel({ steps }: { steps: FunnelStep[] }) {
  const top = steps[0]?.value ?? 0;
  return (
    <ol className="space-y-3" data-testid="funnel">
      {steps.map((step, i) => {
        const previous = steps[i - 1]?.value;
        return (
          <li key={step.label} data-step={step.label}>
            <div className="flex items-baseline justify-between gap-2 text-sm">
              <span className="font-medium text-slate-700">{step.label}</span>
              <span className="tabular-nums text-slate-900">
                <span data-testid={`funnel-${step.label.toLowerCase()}`}>
                  {step.exact ? "" : "≈ "}
                  {formatCount(step.value)}
                </span>
                {previous ? <span className="ml-2 text-xs text-slate-500">{formatPercent(step.value / previous)} of previous</span> : null}
              </span>
            </div>
            <div className="mt-1.5 h-3 overflow-hidden rounded bg-slate-100" aria-hidden>
              <div className="h-full rounded bg-brand-500" style={{ width: `${top === 0 ? 0 : Math.max(0.5, (step.value / top) * 100)}%`, opacity: 1 - i * 0.18 }} />
            </div>
            <p className="mt-1 text-xs text-slate-500">{step.hint}</p>
          </li>
        );
      })}
    </ol>
  );
}
