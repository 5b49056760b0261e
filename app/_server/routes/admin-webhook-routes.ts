// Admin API: outbound webhook endpoints (SPEC §6). Admins only; every change is audited.
import { idParams } from "@/lib/http/params";
import { createWebhookEndpoint } from "@/lib/webhooks/create-webhook-endpoint";
import { deleteWebhookEndpoint } from "@/lib/webhooks/delete-webhook-endpoint";
import { listWebhookEndpoints } from "@/lib/webhooks/list-webhook-endpoints";
import {
  createdWebhookEndpointSchema,
  createWebhookEndpointInput,
  presentWebhookEndpoint,
  webhookEndpointListSchema,
} from "@/lib/webhooks/webhook-endpoints.schema";
import { z } from "zod";
import type { ZodOpenApiPathsObject } from "zod-openapi";
import { webhookBodySchema, webhookEventTypes } from "@/lib/webhooks/webhook-events.schema";
import { adminRoute, reply, type RouteDefinition } from "./define-route";

const signatureHeaders = z.object({
  "webhook-id": z.string().meta({ description: "The delivery's id: the same on every attempt of it; drop one already processed" }),
  "webhook-timestamp": z.string().meta({ description: "Seconds since the epoch of this attempt" }),
  "webhook-signature": z.string().meta({ description: "`v1,<base64 HMAC-SHA256 of \"<webhook-id>.<webhook-timestamp>.<body>\">` with the endpoint's whsec_ secret" }),
});

/** The admin document's `webhooks`: what Gatehouse POSTs to an endpoint for each event type. */
export const webhookEventsDocument: ZodOpenApiPathsObject = Object.fromEntries(
  webhookEventTypes.map((type) => [
    type,
    {
      post: {
        summary: `The ${type} event`,
        requestParams: { header: signatureHeaders },
        requestBody: { required: true, content: { "application/json": { schema: webhookBodySchema(type) } } },
        responses: {
          "2XX": { description: "Received. Anything else, or no answer within 15 s, is retried with backoff for a day." },
        },
      },
    },
  ]),
);

export const adminWebhookRoutes: RouteDefinition[] = [
  adminRoute(
    {
      id: "listWebhookEndpoints",
      method: "GET",
      path: "/api/admin/v1/webhooks",
      tags: ["webhooks"],
      summary: "Webhook endpoints, newest first (never their secrets)",
      permission: "manage_webhooks",
      responses: { 200: { description: "The endpoints", schema: webhookEndpointListSchema } },
    },
    async ({ actor, db }) => ({ items: (await listWebhookEndpoints(db, actor)).map(presentWebhookEndpoint) }),
  ),
  adminRoute(
    {
      id: "createWebhookEndpoint",
      method: "POST",
      path: "/api/admin/v1/webhooks",
      tags: ["webhooks"],
      summary: "Register an endpoint for event types; the signing secret is in this answer only",
      description:
        "Deliveries follow Standard Webhooks: headers `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256>` over `<id>.<timestamp>.<body>` with the `whsec_` secret; body `{type, timestamp, data}` (see the `webhooks` section). Failed attempts are retried with backoff for about a day; an endpoint that fails for that long is disabled and its events wait until it is enabled again.",
      permission: "manage_webhooks",
      body: createWebhookEndpointInput,
      responses: { 201: { description: "The endpoint and its secret", schema: createdWebhookEndpointSchema } },
    },
    async ({ body, actor, db }) => {
      const { endpoint, secret } = await createWebhookEndpoint(db, actor, body);
      return reply(201, createdWebhookEndpointSchema.parse({ ...presentWebhookEndpoint(endpoint), secret }));
    },
  ),
  adminRoute(
    {
      id: "deleteWebhookEndpoint",
      method: "DELETE",
      path: "/api/admin/v1/webhooks/{id}",
      tags: ["webhooks"],
      summary: "Remove an endpoint and its deliveries",
      permission: "manage_webhooks",
      params: idParams,
      responses: { 204: { description: "Removed" } },
      errors: [404],
    },
    async ({ params, actor, db }) => {
      await deleteWebhookEndpoint(db, actor, params.id);
    },
  ),
];
