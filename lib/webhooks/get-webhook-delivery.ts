import { asc, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { registrations, webhookAttempts, webhookDeliveries, webhookEndpoints, type WebhookAttempt, type WebhookDelivery, type WebhookEndpoint } from "@/db/schema";
import { type Actor, assertCan, phoneForRole } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { webhookBody } from "./send-webhook-request";
import { eventsNamingRegistration } from "./webhook-events.schema";

export interface WebhookDeliveryDetail {
  delivery: WebhookDelivery;
  endpoint: Pick<WebhookEndpoint, "id" | "url" | "status" | "includePhone">;
  attempts: WebhookAttempt[];
  /** The body as the next attempt sends it (the phone as the viewer's role may see it). */
  body: string;
}

const MAX_ATTEMPTS_SHOWN = 200;

export async function getWebhookDelivery(db: Database, actor: Actor, deliveryId: string): Promise<WebhookDeliveryDetail> {
  assertCan(actor, "manage_webhooks");
  const [row] = await db
    .select({ delivery: webhookDeliveries, endpoint: webhookEndpoints })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(eq(webhookDeliveries.id, deliveryId))
    .limit(1);
  if (!row) throw new AppError("not_found", "No such webhook delivery.");
  const { delivery, endpoint } = row;
  const attempts = await db
    .select()
    .from(webhookAttempts)
    .where(eq(webhookAttempts.deliveryId, deliveryId))
    .orderBy(asc(webhookAttempts.id))
    .limit(MAX_ATTEMPTS_SHOWN);
  let phone: string | null | undefined;
  const registrationId = (delivery.data as { registrationId?: string }).registrationId;
  if (endpoint.includePhone && eventsNamingRegistration.has(delivery.eventType)) {
    const [registration] = registrationId
      ? await db.select({ phone: registrations.phone }).from(registrations).where(eq(registrations.id, registrationId)).limit(1)
      : [];
    phone = phoneForRole(actor.role, registration?.phone ?? null);
  }
  const body = webhookBody({ type: delivery.eventType, data: delivery.data as Record<string, unknown>, occurredAt: delivery.occurredAt, phone });
  return { delivery, endpoint: { id: endpoint.id, url: endpoint.url, status: endpoint.status, includePhone: endpoint.includePhone }, attempts, body };
}
