// How the console words an admission estimate (lib/stats/admission-forecast.ts): the Overview's
// forecast and the registration page say the same things the same way.
import { formatCount } from "@/components/format";
import type { AdmissionPace, NoBasisReason } from "@/lib/stats/admission-forecast";

const reasons: Record<NoBasisReason, string> = {
  no_active_phase: "No phase is active, so nobody is being let in.",
  internal_phase: "The active phase is internal: only allow-listed employees get in, so the queue does not move.",
  no_admissions: "Nobody was invited in the active phase in the last 7 days: there is no pace to go by.",
  beyond_capacity: "Beyond the active phase's remaining capacity.",
  after_phase_end: "Not before the active phase ends.",
  not_eligible: "The active phase does not admit this registration (country or platform).",
};

export function noBasisText(reason: NoBasisReason): string {
  return reasons[reason];
}

const dateFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

/** "3 Dec 2026". */
export function estimateDate(at: Date | string): string {
  return dateFormat.format(new Date(at));
}

/** "in 3 days", "within a day", "in 5 weeks", "in 4 months". */
export function estimateDistance(at: Date | string, now = Date.now()): string {
  const days = (new Date(at).getTime() - now) / 86_400_000;
  if (days < 1) return "within a day";
  if (days < 14) return `in ${Math.round(days)} days`;
  if (days < 60) return `in ${Math.round(days / 7)} weeks`;
  return `in ${Math.round(days / 30)} months`;
}

/** "1,250 a day" (with the binding cap when it binds). */
export function paceText(pace: AdmissionPace): string {
  const perDay = formatCount(Math.round(pace.perDay));
  return pace.limitedByDailyCap ? `${perDay} a day (the daily cap; ${formatCount(Math.round(pace.observedPerDay))} a day were invited)` : `${perDay} a day`;
}
