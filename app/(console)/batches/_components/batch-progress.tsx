import type { BatchStatus } from "@/db/schema";
import { formatCount, formatPercent } from "@/components/format";
import { cn } from "@/components/ui/cn";

export interface BatchCounters {
  requested: number;
  selected: number;
  invited: number;
  notified: number;
  failed: number;
}

const barColour: Record<BatchStatus, string> = {
  queued: "bg-slate-300",
  running: "bg-brand-500",
  completed: "bg-emerald-500",
  failed: "bg-red-500",
  cancelled: "bg-amber-400",
};

/** Share of the request worked through: selected or failed entries out of those requested. */
export function progressOf(status: BatchStatus, c: BatchCounters): number {
  if (status === "completed") return 1;
  if (c.requested === 0) return 0;
  return Math.min(1, (c.selected + c.failed) / c.requested);
}

/** The counters and a progress bar; the page re-renders them live while the batch runs. */
export function BatchProgress({ status, counters }: { status: BatchStatus; counters: BatchCounters }) {
  const ratio = progressOf(status, counters);
  const figures: [string, number, string?][] = [
    ["Requested", counters.requested],
    ["Selected", counters.selected],
    ["Invited", counters.invited],
    ["Notified", counters.notified],
    ["Failed", counters.failed, counters.failed > 0 ? "text-red-600" : undefined],
  ];
  return (
    <div className="space-y-5">
      <div>
        <div className="mb-1.5 flex items-baseline justify-between text-sm">
          <span className="text-slate-600 tabular-nums">
            {formatCount(counters.selected + counters.failed)} of {formatCount(counters.requested)} worked through
          </span>
          <span className="text-slate-500 tabular-nums" data-testid="batch-progress-percent">
            {formatPercent(ratio)}
          </span>
        </div>
        <div
          role="progressbar"
          aria-label="Batch progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(ratio * 100)}
          className="h-2.5 overflow-hidden rounded-full bg-slate-100"
        >
          <div className={cn("h-full rounded-full", barColour[status], status === "running" && "animate-pulse transition-[width] duration-700")} style={{ width: `${ratio * 100}%` }} />
        </div>
      </div>
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-5">
        {figures.map(([label, value, colour]) => (
          <div key={label} className="rounded-lg bg-slate-50 px-4 py-3 ring-1 ring-inset ring-slate-100">
            <dt className="text-xs font-medium text-slate-500">{label}</dt>
            <dd className={cn("mt-1 text-2xl font-semibold tracking-tight text-slate-900 tabular-nums", colour)} data-testid={`counter-${label.toLowerCase()}`}>
              {formatCount(value)}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
