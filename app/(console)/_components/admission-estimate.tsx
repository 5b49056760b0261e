import { Badge } from "@/components/ui/badge";
import type { PositionEstimate } from "@/lib/stats/admission-forecast";
import { estimateDate, estimateDistance, noBasisText } from "./forecast-text";

/** One registration's estimated admission (the registration page), or why there is none. */
export function AdmissionEstimate({ estimate }: { estimate: PositionEstimate }) {
  return (
    <div className="mt-3 rounded-lg bg-slate-50 px-3 py-2.5 ring-1 ring-slate-200 ring-inset" data-testid="admission-estimate">
      <p className="flex items-center justify-between gap-2 text-xs font-medium text-slate-500">
        Estimated admission
        <Badge tone="amber">Estimate</Badge>
      </p>
      {estimate.at ? (
        <p className="mt-1 text-sm text-slate-900">
          <span className="font-medium" data-testid="admission-estimate-date">
            ≈ {estimateDate(estimate.at)}
          </span>{" "}
          <span className="text-slate-500">({estimateDistance(estimate.at)})</span>
        </p>
      ) : (
        <p className="mt-1 text-sm text-slate-600" data-testid="admission-estimate-none">
          No estimate. {noBasisText(estimate.reason)}
        </p>
      )}
      <p className="mt-1 text-xs text-slate-500">At the active phase&apos;s pace of the last 7 days, within its daily cap, capacity and end.</p>
    </div>
  );
}
