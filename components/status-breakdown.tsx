import { formatCount, humanize } from "@/components/format";

const barColor: Record<string, string> = {
  waiting: "bg-brand-500",
  invited: "bg-sky-500",
  admitted: "bg-emerald-500",
  redeemed: "bg-emerald-500",
  active: "bg-emerald-500",
  sent: "bg-sky-500",
  pending: "bg-slate-400",
  pending_verification: "bg-slate-400",
  scheduled: "bg-sky-500",
  draft: "bg-slate-400",
  expired: "bg-amber-500",
  lapsed: "bg-amber-500",
  removed: "bg-orange-500",
  revoked: "bg-orange-500",
  closed: "bg-slate-500",
  blocked: "bg-red-500",
  queued: "bg-slate-400",
  sending: "bg-sky-500",
  failed: "bg-red-500",
  unknown: "bg-amber-500",
};

/** One row per status with its count and share; every status is listed, zero included. */
export function StatusBreakdown({
  counts,
  testId,
  compact = false,
  estimated = false,
  exactKeys = [],
}: {
  counts: Record<string, number>;
  testId?: string;
  compact?: boolean;
  /** The counts are planner estimates (shown with "≈"), except those in `exactKeys`. */
  estimated?: boolean;
  exactKeys?: string[];
}) {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return (
    <dl className={compact ? "space-y-2.5" : "space-y-3"} data-testid={testId}>
      {Object.entries(counts).map(([status, n]) => (
        <div key={status} data-status={status}>
          <div className="flex items-baseline justify-between text-sm">
            <dt className="text-slate-600">{humanize(status)}</dt>
            <dd className="font-medium text-slate-900 tabular-nums" data-testid={testId ? `${testId}-${status}` : undefined}>
              {estimated && !exactKeys.includes(status) ? `≈ ${formatCount(n)}` : formatCount(n)}
            </dd>
          </div>
          {compact ? null : (
            <div className="mt-1.5 h-1.5 overflow-hidden rounded-full bg-slate-100" aria-hidden>
              <div className={`h-full rounded-full ${barColor[status] ?? "bg-slate-400"}`} style={{ width: `${total === 0 ? 0 : (n / total) * 100}%` }} />
            </div>
          )}
        </div>
      ))}
    </dl>
  );
}
