// The Webhooks page's server actions as plain specs (tests run them as every role); actions.ts
// exposes them with "use server". Admin only; the lib functions check it again and audit.
import { z } from "zod";
import { zfd } from "zod-form-data";
import { defineStaffAction } from "@/app/_server/action-spec";
import { webhookEventType } from "@/db/schema";
import { createWebhookEndpoint } from "@/lib/webhooks/create-webhook-endpoint";
import { deleteWebhookEndpoint } from "@/lib/webhooks/delete-webhook-endpoint";
import { sendWebhookAgain } from "@/lib/webhooks/send-webhook-again";
import { setWebhookEndpointEnabled } from "@/lib/webhooks/set-webhook-endpoint-enabled";
import { uuid } from "@/lib/validation/fields";

const endpointRef = z.object({ endpointId: uuid("unknown endpoint") });

export const createWebhookEndpointSpec = defineStaffAction({
  permission: "manage_webhooks",
  // Form fields: one checkbox per event type (one value or several), includePhone as "on".
  schema: z.object({
    url: z.string({ error: "enter the endpoint's URL" }).trim(),
    description: zfd.text(z.string().trim().max(200).optional()),
    events: zfd.repeatableOfType(z.enum(webhookEventType.enumValues)),
    includePhone: zfd.checkbox(),
  }),
  run: async (input, actor, db) => {
    const { endpoint, secret } = await createWebhookEndpoint(db, actor, input);
    return { id: endpoint.id, url: endpoint.url, secret };
  },
});

export const setWebhookEndpointEnabledSpec = defineStaffAction({
  permission: "manage_webhooks",
  schema: endpointRef.extend({
    enabled: z.enum(["true", "false"]).transform((v) => v === "true"),
    reason: zfd.text(z.string().trim().max(200).optional()),
  }),
  run: async (input, actor, db) => {
    const { endpoint, replayed } = await setWebhookEndpointEnabled(db, actor, input);
    return { id: endpoint.id, status: endpoint.status, replayed };
  },
});

export const deleteWebhookEndpointSpec = defineStaffAction({
  permission: "manage_webhooks",
  schema: endpointRef,
  run: async (input, actor, db) => {
    await deleteWebhookEndpoint(db, actor, input.endpointId);
    return { id: input.endpointId };
  },
});

export const sendWebhookAgainSpec = defineStaffAction({
  permission: "manage_webhooks",
  schema: z.object({ deliveryId: uuid("unknown delivery") }),
  run: async (input, actor, db) => {
    const delivery = await sendWebhookAgain(db, actor, input.deliveryId);
    return { id: delivery.id, status: delivery.status };
  },
});
