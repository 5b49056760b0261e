// The events Gatehouse sends to webhook endpoints (SPEC §6): each type's `data`, and the body
// every delivery carries. The admin OpenAPI document describes them from these schemas, and the
// tests check what the sink received against them.
import { z } from "zod";
import { batchKind, webhookEventType, type WebhookEventType } from "@/db/schema";

const id = z.uuid();
const isoTime = z.iso.datetime();

const invitationEvent = z.object({ invitationId: id, registrationId: id, phaseSlug: z.string(), expiresAt: isoTime });

export const webhookEventData = {
  /** A phone was verified: the registration joined the queue (position null when it was admitted at once). */
  "registration.verified": z.object({ registrationId: id, position: z.number().int().min(1).nullable() }),
  /** An invitation was issued and its message put in the outbox (batch, member invite, resend or reactivation). */
  "invitation.sent": invitationEvent,
  /** An invitation passed its expiry unredeemed. */
  "invitation.expired": invitationEvent,
  /** A registration became a member (invitation redeemed, or admitted at verification in an open phase). */
  "member.admitted": z.object({ memberId: id, registrationId: id, phaseSlug: z.string() }),
  /** A batch finished its work. */
  "batch.completed": z.object({
    batchId: id,
    kind: z.enum(batchKind.enumValues),
    counters: z.object({
      requested: z.number().int(),
      selected: z.number().int(),
      invited: z.number().int(),
      notified: z.number().int(),
      failed: z.number().int(),
    }),
  }),
  /** A phase became the active one. */
  "phase.activated": z.object({ phaseId: id, slug: z.string() }),
} satisfies Record<WebhookEventType, z.ZodObject>;

export type WebhookEventData<T extends WebhookEventType> = z.output<(typeof webhookEventData)[T]>;

export const webhookEventTypes = webhookEventType.enumValues;

/** Event types whose data names a registration: endpoints marked includePhone also get its phone. */
export const eventsNamingRegistration: ReadonlySet<WebhookEventType> = new Set([
  "registration.verified",
  "invitation.sent",
  "invitation.expired",
  "member.admitted",
]);

/**
 * The body of one delivery (Standard Webhooks): `timestamp` is when the change happened, the same
 * on every attempt; the `webhook-timestamp` header is the attempt's own time.
 */
export function webhookBodySchema<T extends WebhookEventType>(type: T) {
  const data = eventsNamingRegistration.has(type)
    ? webhookEventData[type].extend({
        phone: z
          .string()
          .nullable()
          .optional()
          .meta({ description: "E.164; only for endpoints marked includePhone; null once retention erased it" }),
      })
    : webhookEventData[type];
  return z.object({ type: z.literal(type), timestamp: isoTime, data });
}
