import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import type { WebhookEventType } from "@/db/schema";
import { openSecret } from "@/lib/secret-box";
import { WEBHOOK_SECRET_PURPOSE } from "./create-webhook-endpoint";
import type { WebhookMessage } from "./send-webhook-request";

export interface ClaimedWebhookDelivery {
  message: WebhookMessage;
  endpointId: string;
  /** Failed attempts in a row before this one, and since when. */
  failures: number;
  failingSince: Date | null;
}

/**
 * Claims deliveries for sending: queued → sending, attempts + 1, only while the endpoint is
 * enabled; a delivery whose endpoint was disabled since it was queued goes back to `pending`
 * (it waits for the endpoint, and this is no attempt). A due `pending` row is claimable too: the
 * relay adds the job before it commits `queued`, and a fast worker must not find the row still
 * pending and drop the job (the claim waits for the relay's row lock, then sees `queued`). An id missing from the answer was not
 * claimable. The phone of an includePhone endpoint is read from the registration now, so an
 * erased one goes out as null.
 */
export async function claimWebhookDeliveries(db: Database, ids: string[]): Promise<ClaimedWebhookDelivery[]> {
  if (ids.length === 0) return [];
  const rows = await db.execute<{
    id: string;
    endpoint_id: string;
    url: string;
    secret_sealed: string;
    event_type: WebhookEventType;
    data: Record<string, unknown>;
    occurred_at: string;
    failures: number;
    failing_since: string | null;
    include_phone: boolean;
    phone: string | null;
  }>(sql`
    with wanted as (select unnest(${sql.param(ids)}::uuid[]) as id),
    parked as (
      update webhook_deliveries d set status = 'pending', updated_at = now()
      from wanted w, webhook_endpoints e
      where d.id = w.id and d.status = 'queued' and e.id = d.endpoint_id and e.status = 'disabled'
      returning d.id
    ),
    claimed as (
      update webhook_deliveries d set status = 'sending', claimed_at = now(), attempts = d.attempts + 1, updated_at = now()
      from wanted w, webhook_endpoints e
      where d.id = w.id and d.status in ('pending', 'queued') and d.next_attempt_at <= now()
        and e.id = d.endpoint_id and e.status = 'enabled'
      returning d.id, d.endpoint_id, e.url, e.secret_sealed, d.event_type, d.data, d.occurred_at, d.failures, d.failing_since, e.include_phone
    )
    select c.*, case when c.include_phone then r.phone end as phone
    from claimed c left join registrations r on c.include_phone and r.id = (c.data->>'registrationId')::uuid`);
  return rows.map((r) => ({
    endpointId: r.endpoint_id,
    failures: r.failures,
    failingSince: r.failing_since ? new Date(r.failing_since) : null,
    message: {
      id: r.id,
      url: r.url,
      secret: openSecret(r.secret_sealed, WEBHOOK_SECRET_PURPOSE),
      type: r.event_type,
      data: r.data,
      occurredAt: new Date(r.occurred_at),
      ...(r.include_phone ? { phone: r.phone } : {}),
    },
  }));
}
