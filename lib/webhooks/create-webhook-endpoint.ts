import { randomBytes } from "node:crypto";
import type { Database } from "@/db/client";
import { webhookEndpoints, type WebhookEndpoint } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { parseInput } from "@/lib/phases/validate";
import { sealSecret } from "@/lib/secret-box";
import { createWebhookEndpointInput, type CreateWebhookEndpointInput } from "./webhook-endpoints.schema";

/** The purpose the signing secrets are sealed under (lib/secret-box). */
export const WEBHOOK_SECRET_PURPOSE = "webhook-secret";

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/**
 * Registers an endpoint (admin). The signing secret is returned here once; only its sealed
 * form is stored. Events that happen from now on reach it; nothing earlier is backfilled.
 */
export async function createWebhookEndpoint(
  db: Database,
  actor: Actor,
  input: CreateWebhookEndpointInput,
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  assertCan(actor, "manage_webhooks");
  const parsed = parseInput(createWebhookEndpointInput, input);
  const secret = newSigningSecret();
  return db.transaction(async (tx) => {
    const [endpoint] = await tx
      .insert(webhookEndpoints)
      .values({
        url: parsed.url,
        events: parsed.events,
        includePhone: parsed.includePhone,
        description: parsed.description || null,
        secretSealed: sealSecret(secret, WEBHOOK_SECRET_PURPOSE),
        createdBy: actor.staffId,
      })
      .returning();
    await recordAudit(tx, {
      actor,
      action: "webhook.create",
      targetType: "webhook_endpoint",
      targetId: endpoint!.id,
      after: { url: parsed.url, events: parsed.events, includePhone: parsed.includePhone, description: parsed.description ?? null },
    });
    return { endpoint: endpoint!, secret };
  });
}
