import type { BatchPreview } from "@/lib/batches/preview";
import { formatCount } from "@/components/format";

const exclusionLabels: Record<keyof BatchPreview["excluded"], string> = {
  capacity: "Phase capacity",
  daily_cap: "Daily admission cap",
  hold: "On hold",
  ineligible: "Not eligible for the phase",
  not_found: "Not found",
  not_waiting: "Not waiting",
  duplicate: "Named twice",
  invalid: "Unreadable phone",
};

function Figure({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div>
      <dt className="text-xs font-medium text-slate-500">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tracking-tight text-slate-900 tabular-nums">{value}</dd>
      {hint ? <p className="text-xs text-slate-400">{hint}</p> : null}
    </div>
  );
}

/** The dry run's numbers, as staff confirm them. */
export function BatchPreviewPanel({ preview }: { preview: BatchPreview }) {
  const exclusions = (Object.keys(exclusionLabels) as (keyof BatchPreview["excluded"])[]).filter((k) => preview.excluded[k] > 0);
  const positions =
    preview.firstPosition !== null && preview.lastPosition !== null
      ? `#${formatCount(preview.firstPosition)} → #${formatCount(preview.lastPosition)}`
      : "—";
  return (
    <div data-testid="batch-preview" className="space-y-5">
      <dl className="grid grid-cols-2 gap-6 sm:grid-cols-4">
        <Figure label="Requested" value={formatCount(preview.requested)} />
        <Figure
          label={preview.kind === "member_quota" ? "Members" : "Would be invited"}
          value={formatCount(preview.selected)}
          hint={preview.units !== null ? `${formatCount(preview.units)} invites in total` : undefined}
        />
        <Figure label="Queue positions" value={positions} hint={preview.kind === "admit_next" ? "first and last selected" : "only for admit next"} />
        <Figure label="Phase" value={preview.phase?.name ?? "—"} hint={preview.phase ? `${preview.phase.kind} phase` : "quota applies to members"} />
      </dl>
      {preview.truncatedReason ? (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 ring-1 ring-inset ring-amber-200" data-testid="truncated-reason">
          Fewer than requested: {preview.truncatedReason}
        </p>
      ) : null}
      <div>
        <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Excluded</h3>
        {exclusions.length === 0 ? (
          <p className="mt-1 text-sm text-slate-500">Nobody is left out.</p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-100 rounded-md ring-1 ring-slate-200">
            {exclusions.map((k) => (
              <li key={k} className="flex justify-between px-3 py-1.5 text-sm">
                <span className="text-slate-600">{exclusionLabels[k]}</span>
                <span className="font-medium text-slate-900 tabular-nums">{formatCount(preview.excluded[k])}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
