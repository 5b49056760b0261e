import { formatCount } from "@/components/format";

export interface BudgetUse {
  scope: string;
  used: number;
  budget: number;
}

function Meter({ label, use }: { label: string; use: BudgetUse }) {
  const ratio = Math.min(1, use.used / use.budget);
  const tone = use.used >= use.budget ? "bg-red-500" : ratio >= 0.8 ? "bg-amber-500" : "bg-emerald-500";
  return (
    <div data-testid={`budget-${label}`}>
      <div className="flex items-baseline justify-between gap-2 text-sm">
        <span className="font-medium text-slate-700">{label}</span>
        <span className="tabular-nums text-slate-600">
          {formatCount(use.used)} / {formatCount(use.budget)}
        </span>
      </div>
      <div className="mt-1 h-2 overflow-hidden rounded-full bg-slate-100" role="meter" aria-valuemin={0} aria-valuemax={use.budget} aria-valuenow={use.used} aria-label={`${label} budget used`}>
        <div className={`h-full rounded-full ${tone}`} style={{ width: `${ratio * 100}%` }} />
      </div>
    </div>
  );
}

function Scope({ title, uses }: { title: string; uses: BudgetUse[] }) {
  return (
    <section>
      <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">{title}</h3>
      <div className="mt-3 space-y-3">
        {uses.length ? uses.map((use) => <Meter key={use.scope} label={use.scope === "all" ? "Global" : use.scope} use={use} />) : <p className="text-sm text-slate-500">No codes sent this hour.</p>}
      </div>
    </section>
  );
}

/** Each budget beside its use in the current window: the counters the next registration is judged against. */
export function SmsBudgetUse({ global, countries, prefixes }: { global: BudgetUse; countries: BudgetUse[]; prefixes: BudgetUse[] }) {
  return (
    <div className="grid gap-6 md:grid-cols-3">
      <Scope title="All codes, this minute" uses={[global]} />
      <Scope title="Busiest countries, this hour" uses={countries} />
      <Scope title="Busiest prefixes, this hour" uses={prefixes} />
    </div>
  );
}
