// Webhook test helpers: an endpoint registered against a verifying sink, and workers that run
// only the webhook queues (plus the relay) with short timeouts and retry delays.
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import type { WebhookDeliveryStatus, WebhookEventType } from "../../db/schema";
import type { Logger, WorkerSettings } from "../../jobs/processor";
import { deliverWebhookProcessor, webhookMaintenanceProcessor } from "../../jobs/processors/webhooks";
import { startWorkers, type WorkersHandle } from "../../jobs/worker";
import type { Actor } from "../../lib/auth/roles";
import { createWebhookEndpoint } from "../../lib/webhooks/create-webhook-endpoint";
import { testRedisUrl } from "./redis";
import type { WebhookSink } from "./webhook-sink";

export async function registerEndpoint(
  db: Database,
  actor: Actor,
  sink: WebhookSink,
  options: { path?: string; events: WebhookEventType[]; includePhone?: boolean },
) {
  const path = options.path ?? "/hook";
  const { endpoint, secret } = await createWebhookEndpoint(db, actor, { url: sink.url(path), events: options.events, includePhone: options.includePhone });
  sink.setSecret(path, secret);
  return { endpoint, secret };
}

export const quietLogger: Logger = () => {};

/** Workers for the webhook queues only, relaying every 20 ms. */
export function startWebhookWorkers(
  db: Database,
  prefix: string,
  settings: Partial<WorkerSettings> = {},
  options: { schedules?: boolean } = {},
): Promise<WorkersHandle> {
  return startWorkers({
    db,
    redis: { url: testRedisUrl() },
    prefix,
    processors: [deliverWebhookProcessor, webhookMaintenanceProcessor],
    // A generous timeout: on a loaded machine the in-process sink may answer late, and a late answer is a retry.
    settings: { webhookTimeoutMs: 5000, webhookRetryDelaysMs: [50, 100], webhookStaleClaimMs: 60_000, ...settings },
    relay: { idleMs: 20 },
    schedules: options.schedules ?? false,
    graceMs: 2000,
    log: quietLogger,
  });
}

export async function deliveryStatusCounts(db: Database): Promise<Partial<Record<WebhookDeliveryStatus, number>>> {
  const rows = await db.execute<{ status: WebhookDeliveryStatus; n: number }>(
    sql`select status, count(*)::int as n from webhook_deliveries group by status`,
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
