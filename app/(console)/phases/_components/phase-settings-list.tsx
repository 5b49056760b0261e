import { formatCount, humanize } from "@/components/format";
import type { Phase } from "@/db/schema";
import { DetailRow } from "@/components/ui/detail-row";

const utc = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const when = (date: Date | null) => (date ? `${utc.format(date)} UTC` : null);

/** A phase's settings as a definition list (the phase page). */
export function PhaseSettingsList({ phase, allowListTotal }: { phase: Phase; allowListTotal: number | null }) {
  return (
    <dl className="divide-y divide-slate-100" data-testid="phase-settings">
      <DetailRow label="Kind">{humanize(phase.kind)}</DetailRow>
      <DetailRow label="Starts">{when(phase.activatedAt ?? phase.startsAt) ?? "not set"}</DetailRow>
      <DetailRow label="Ends">{when(phase.closedAt ?? phase.endsAt) ?? "open-ended"}</DetailRow>
      <DetailRow label="Capacity">{phase.capacity === null ? "no limit" : `${formatCount(phase.capacity)} members`}</DetailRow>
      <DetailRow label="Daily admission cap">{phase.dailyAdmissionCap === null ? "no cap" : `${formatCount(phase.dailyAdmissionCap)} a day`}</DetailRow>
      <DetailRow label="Invites per member">{phase.memberInviteQuota}</DetailRow>
      <DetailRow label="Invitation lifetime">{phase.invitationTtlHours} h</DetailRow>
      <DetailRow label="Expired invitees go">{phase.expiredPlacement === "original" ? "back to their place" : "to the back"}</DetailRow>
      <DetailRow label="Back in the queue automatically">{phase.autoReactivateExpired ? "yes" : "no, staff reactivate"}</DetailRow>
      <DetailRow label="Countries">{phase.countries?.length ? phase.countries.join(", ") : "every country"}</DetailRow>
      <DetailRow label="Platforms">{phase.platforms?.length ? phase.platforms.map((p) => (p === "ios" ? "iOS" : "Android")).join(", ") : "every platform"}</DetailRow>
      {allowListTotal !== null ? <DetailRow label="Employee allow-list">{formatCount(allowListTotal)} numbers</DetailRow> : null}
    </dl>
  );
}
