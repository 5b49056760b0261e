// Webhook endpoints in the admin API and on the console (SPEC §6): what staff send to register
// one, and what Gatehouse answers. The route handlers shape their answers through these schemas,
// and the OpenAPI document is generated from them.
import { z } from "zod";
import { webhookEndpointStatus, type WebhookEndpoint } from "@/db/schema";
import { webhookEventTypes } from "./webhook-events.schema";

const eventType = z.enum(webhookEventTypes);
const isoTime = z.iso.datetime();

export const createWebhookEndpointInput = z
  .object({
    url: z.url({ protocol: /^https?$/, error: "an http:// or https:// URL" }).max(2000),
    events: z
      .array(eventType)
      .min(1, "pick at least one event type")
      .transform((events) => [...new Set(events)]),
    includePhone: z.boolean().default(false),
    description: z.string().trim().max(200).optional(),
  })
  .meta({ id: "CreateWebhookEndpointRequest" });
export type CreateWebhookEndpointInput = z.input<typeof createWebhookEndpointInput>;

export const webhookEndpointSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(eventType),
    includePhone: z.boolean(),
    status: z.enum(webhookEndpointStatus.enumValues),
    disabledReason: z.string().nullable().meta({ description: "Why it is disabled; set by staff or by Gatehouse when it kept failing" }),
    disabledAt: isoTime.nullable(),
    disabledAutomatically: z.boolean(),
    failingSince: isoTime.nullable().meta({ description: "Start of the current run of failed attempts" }),
    lastSuccessAt: isoTime.nullable(),
    lastFailureAt: isoTime.nullable(),
    lastError: z.string().nullable(),
    createdAt: isoTime,
  })
  .meta({ id: "WebhookEndpoint" });
export type WebhookEndpointView = z.output<typeof webhookEndpointSchema>;

export const createdWebhookEndpointSchema = webhookEndpointSchema
  .extend({ secret: z.string().regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/).meta({ description: "The signing secret (Standard Webhooks). Shown only in this answer." }) })
  .meta({ id: "CreatedWebhookEndpoint" });

export const webhookEndpointListSchema = z.object({ items: z.array(webhookEndpointSchema) }).meta({ id: "WebhookEndpointList" });

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** An endpoint row as the API and the console show it (never its secret). */
export function presentWebhookEndpoint(row: WebhookEndpoint): WebhookEndpointView {
  return webhookEndpointSchema.parse({
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events,
    includePhone: row.includePhone,
    status: row.status,
    disabledReason: row.disabledReason,
    disabledAt: iso(row.disabledAt),
    disabledAutomatically: row.disabledAutomatically,
    failingSince: iso(row.failingSince),
    lastSuccessAt: iso(row.lastSuccessAt),
    lastFailureAt: iso(row.lastFailureAt),
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
  });
}
