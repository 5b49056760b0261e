import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { formatCount } from "@/components/format";
import { DAY_MS, type QueueForecast } from "@/lib/stats/admission-forecast";
import { ForecastChart } from "./forecast-chart";
import { estimateDate, estimateDistance, noBasisText, paceText } from "./forecast-text";

const short = new Intl.NumberFormat("en-US", { notation: "compact" });

function milestoneLabel(position: number, last: boolean): string {
  return last ? "Last" : `#${short.format(position)}`;
}

/**
 * The Overview's forecast (SPEC §4): when the queue's current positions get in and how its length
 * moves, at the pace of the last 7 days. Labelled an estimate; without a basis it says why.
 */
export function ForecastCard({ forecast }: { forecast: QueueForecast }) {
  const { pace, basis, milestones } = forecast;
  const now = basis.at.getTime();
  const phase = basis.activePhase;
  const description = pace.noBasis
    ? "At the admission pace of the last 7 days."
    : `At the pace of the last ${basis.admissionWindowDays >= 7 ? "7 days" : `${Math.round(basis.admissionWindowDays * 10) / 10} days (since ${phase?.name ?? "the phase"} opened)`}: ${paceText(pace)} invited, ${formatCount(Math.round(pace.arrivalsPerDay))} a day joining.`;
  // What stops admissions within the active phase, and when at this pace.
  const limits: string[] = [];
  const marks = milestones.flatMap((m) => (m.estimate.at ? [{ day: (m.estimate.at.getTime() - now) / DAY_MS, label: milestoneLabel(m.position, m.last) }] : []));
  if (!pace.noBasis && pace.capacityLeft !== null) {
    const full = new Date(now + (pace.capacityLeft / pace.perDay) * DAY_MS);
    marks.push({ day: (full.getTime() - now) / DAY_MS, label: "Full" });
    limits.push(
      pace.capacityLeft === 0
        ? `${phase?.name ?? "The active phase"} is full.`
        : `${phase?.name ?? "The active phase"} has ${formatCount(pace.capacityLeft)} places left: full ≈ ${estimateDate(full)}.`,
    );
  }
  if (!pace.noBasis && pace.stopsAt) {
    marks.push({ day: (pace.stopsAt.getTime() - now) / DAY_MS, label: "Ends" });
    limits.push(`${phase?.name ?? "The active phase"} ends ${estimateDate(pace.stopsAt)}.`);
  }
  const shownMarks = marks.filter((m) => m.day <= forecast.horizonDays);
  return (
    <Card className="mt-6" data-testid="forecast">
      <CardHeader
        title="Forecast"
        description={description}
        action={
          <Badge tone="amber" className="shrink-0">
            Estimate
          </Badge>
        }
      />
      <CardBody>
        {pace.noBasis ? (
          <div className="rounded-lg border border-dashed border-slate-300 bg-slate-50 px-4 py-6 text-center" data-testid="forecast-no-basis">
            <p className="text-sm font-medium text-slate-900">No forecast yet</p>
            <p className="mt-1 text-sm text-slate-500">{noBasisText(pace.noBasis)}</p>
            <p className="mt-1 text-xs text-slate-500">
              {formatCount(basis.queueLength)} waiting · {formatCount(Math.round(pace.arrivalsPerDay))} a day joined over the last 7 days
            </p>
          </div>
        ) : (
          <div className="grid gap-6 lg:grid-cols-3">
            <div className="lg:col-span-2">
              <ForecastChart
                points={forecast.points}
                marks={shownMarks}
              />
              <p className="mt-2 text-xs text-slate-500">
                Solid: of the {formatCount(basis.queueLength)} waiting now, how many still wait. Dashed: the queue with newcomers joining at the recent pace.
                Referrals and staff boosts can move people ahead; capacity, the daily cap and the phase's end stop admissions.
              </p>
            </div>
            <div>
              <ol className="divide-y divide-slate-100" data-testid="forecast-milestones">
                {milestones.map((m) => (
                  <li key={m.position} className="flex items-baseline justify-between gap-3 py-2.5" data-position={m.position}>
                    <span className="text-sm text-slate-600">
                      {m.last ? "Last place" : "Position"} <span className="font-medium tabular-nums text-slate-900">#{formatCount(m.position)}</span>
                    </span>
                    {m.estimate.at ? (
                      <span className="text-right">
                        <span className="block text-sm font-medium text-slate-900" data-testid={`forecast-at-${m.position}`}>
                          ≈ {estimateDate(m.estimate.at)}
                        </span>
                        <span className="block text-xs text-slate-500">{estimateDistance(m.estimate.at, now)}</span>
                      </span>
                    ) : (
                      <span className="max-w-48 text-right text-xs text-slate-500" data-testid={`forecast-at-${m.position}`}>
                        {noBasisText(m.estimate.reason)}
                      </span>
                    )}
                  </li>
                ))}
                {milestones.length === 0 ? <li className="py-2.5 text-sm text-slate-500">Nobody is waiting.</li> : null}
              </ol>
              {limits.length ? (
                <ul className="mt-1 space-y-1 border-t border-slate-100 pt-3 text-xs text-slate-500" data-testid="forecast-limits">
                  {limits.map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
              ) : null}
            </div>
          </div>
        )}
      </CardBody>
    </Card>
  );
}
