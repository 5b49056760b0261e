import { Badge, type BadgeTone } from "@/components/ui/badge";
import { humanize } from "@/components/format";

const statusTones: Record<string, BadgeTone> = {
  pending_verification: "neutral",
  waiting: "blue",
  invited: "brand",
  admitted: "green",
  lapsed: "neutral",
  removed: "amber",
  expired: "amber",
  blocked: "red",
  // invitations
  pending: "neutral",
  sent: "brand",
  redeemed: "green",
  revoked: "red",
  // notifications
  queued: "neutral",
  sending: "blue",
  failed: "red",
  unknown: "amber",
};

/** A registration, invitation or notification status in its colour. */
export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={statusTones[status] ?? "neutral"}>{humanize(status)}</Badge>;
}

/** "On hold" when support must clear the entry before any batch may admit it. */
export function HoldBadge() {
  return <Badge tone="amber">On hold</Badge>;
}
