import { formatCount, formatPercent } from "@/components/format";

/** Used of a limit, as a bar (amber from 90 %); "no limit" when there is none. */
export function UseMeter({ used, limit, label, testId }: { used: number; limit: number | null; label: string; testId?: string }) {
  if (limit === null) {
    return (
      <p className="text-sm text-slate-500" data-testid={testId}>
        <span className="font-medium text-slate-900 tabular-nums">{formatCount(used)}</span> · no limit
      </p>
    );
  }
  const ratio = limit === 0 ? 1 : Math.min(1, used / limit);
  return (
    <div data-testid={testId}>
      <p className="text-sm text-slate-600 tabular-nums">
        <span className="font-medium text-slate-900">{formatCount(used)}</span> of {formatCount(limit)}
        <span className="ml-2 text-xs text-slate-500">{formatPercent(limit === 0 ? 1 : used / limit)}</span>
      </p>
      <div className="mt-1.5 h-2 overflow-hidden rounded-full bg-slate-100" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={limit} aria-valuenow={used}>
        <div className={`h-full rounded-full ${ratio >= 0.9 ? "bg-amber-500" : "bg-emerald-500"}`} style={{ width: `${ratio * 100}%` }} />
      </div>
    </div>
  );
}
