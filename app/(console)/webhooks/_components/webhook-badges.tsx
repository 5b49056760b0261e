import type { WebhookDeliveryStatus, WebhookEventType } from "@/db/schema";
import { Badge, type BadgeTone } from "@/components/ui/badge";

const deliveryTones: Record<WebhookDeliveryStatus, BadgeTone> = {
  pending: "amber",
  queued: "blue",
  sending: "blue",
  delivered: "green",
  failed: "red",
};

const deliveryLabels: Record<WebhookDeliveryStatus, string> = {
  pending: "Waiting",
  queued: "Queued",
  sending: "Sending",
  delivered: "Delivered",
  failed: "Failed",
};

export function DeliveryStatusBadge({ status }: { status: WebhookDeliveryStatus }) {
  return <Badge tone={deliveryTones[status]}>{deliveryLabels[status]}</Badge>;
}

export function EndpointStatusBadge({ status, automatically }: { status: "enabled" | "disabled"; automatically: boolean }) {
  if (status === "enabled") return <Badge tone="green">Enabled</Badge>;
  return <Badge tone="red">{automatically ? "Disabled: kept failing" : "Disabled"}</Badge>;
}

/** What each event type means, for the form and the endpoint page. */
export const eventTypeHelp: Record<WebhookEventType, string> = {
  "registration.verified": "A phone was verified and joined the queue (registrationId, position)",
  "invitation.sent": "An invitation was issued: batch, member invite, resend or reactivation (invitationId, registrationId, phaseSlug, expiresAt)",
  "invitation.expired": "An invitation passed its expiry unredeemed (invitationId, registrationId, phaseSlug, expiresAt)",
  "member.admitted": "Someone became a member (memberId, registrationId, phaseSlug)",
  "batch.completed": "A batch finished its work (batchId, kind, counters)",
  "phase.activated": "A phase became the active one (phaseId, slug)",
};

export function EventTypeBadges({ events }: { events: WebhookEventType[] }) {
  return (
    <div className="flex flex-wrap gap-1">
      {events.map((event) => (
        <Badge key={event} tone="neutral" className="font-mono">
          {event}
        </Badge>
      ))}
    </div>
  );
}
