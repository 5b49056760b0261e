// What came of a set of attempts, in one transaction: the attempt rows, each delivery's next
// state, and each endpoint's health. A failed attempt schedules the next one after the retry
// delay for its number of failures in a row; when the delays run out (about a day by default)
// the delivery fails — unless its endpoint has failed every attempt since this delivery's
// first failure: then the endpoint is the problem, so it is disabled (with a notice) and the
// delivery waits as `pending` to be replayed when staff enable the endpoint again.
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import type { ClaimedWebhookDelivery } from "./claim-webhook-deliveries";
import type { AttemptResult } from "./send-webhook-request";

export interface WebhookOutcome {
  claimed: ClaimedWebhookDelivery;
  result: AttemptResult;
}

export interface RetrySchedule {
  /** Delay before the next attempt after 1, 2, … failures in a row; past the end the delivery gives up. */
  retryDelaysMs: readonly number[];
  /** ± this share of each delay, so endpoints coming back are not hit in lockstep. */
  jitter?: number;
}

/** Immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 8 h and 8 h later: retries for a day (≈23.6 h). */
export const DEFAULT_RETRY_DELAYS_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 28_800_000, 28_800_000] as const;

interface EndpointHealth {
  id: string;
  /** The batch saw a success: the run of failures restarts after it. */
  succeeded: boolean;
  failingSince: Date | null;
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  lastError: string | null;
}

/** Folds the outcomes per endpoint, in the order the attempts started. */
function healthByEndpoint(outcomes: WebhookOutcome[]): EndpointHealth[] {
  const byEndpoint = new Map<string, EndpointHealth>();
  const ordered = [...outcomes].sort((a, b) => a.result.startedAt.getTime() - b.result.startedAt.getTime());
  for (const { claimed, result } of ordered) {
    let health = byEndpoint.get(claimed.endpointId);
    if (!health) {
      health = { id: claimed.endpointId, succeeded: false, failingSince: null, lastSuccessAt: null, lastFailureAt: null, lastError: null };
      byEndpoint.set(claimed.endpointId, health);
    }
    if (result.ok) {
      health.succeeded = true;
      health.failingSince = null;
      health.lastSuccessAt = result.startedAt;
    } else {
      health.failingSince ??= result.startedAt;
      health.lastFailureAt = result.startedAt;
      health.lastError = result.error;
    }
  }
  return [...byEndpoint.values()];
}

// Instants and flags travel as text and int arrays: the driver cannot bind timestamptz[] or boolean[] here.
const isoOrNull = (d: Date | null) => d?.toISOString() ?? null;

export async function recordWebhookOutcomes(db: Database, outcomes: WebhookOutcome[], schedule: RetrySchedule): Promise<void> {
  if (outcomes.length === 0) return;
  const health = healthByEndpoint(outcomes);
  await db.transaction(async (tx) => {
    await tx.execute(sql`
      insert into webhook_attempts (delivery_id, started_at, duration_ms, status_code, error, response_excerpt)
      select id, started_at::timestamptz, duration_ms, status_code, error, excerpt from unnest(
        ${sql.param(outcomes.map((o) => o.claimed.message.id))}::uuid[],
        ${sql.param(outcomes.map((o) => o.result.startedAt.toISOString()))}::text[],
        ${sql.param(outcomes.map((o) => o.result.durationMs))}::int[],
        ${sql.param(outcomes.map((o) => o.result.statusCode))}::int[],
        ${sql.param(outcomes.map((o) => o.result.error))}::text[],
        ${sql.param(outcomes.map((o) => o.result.responseExcerpt))}::text[]
      ) as a(id, started_at, duration_ms, status_code, error, excerpt)`);

    const endpoints = await tx.execute<{ id: string; failing_since: string | null }>(sql`
      update webhook_endpoints e
      set failing_since = case when h.succeeded = 1 then h.failing_since::timestamptz else coalesce(e.failing_since, h.failing_since::timestamptz) end,
          last_success_at = coalesce(h.last_success_at::timestamptz, e.last_success_at),
          last_failure_at = coalesce(h.last_failure_at::timestamptz, e.last_failure_at),
          last_error = coalesce(h.last_error, e.last_error),
          updated_at = now()
      from unnest(
        ${sql.param(health.map((h) => h.id))}::uuid[],
        ${sql.param(health.map((h) => (h.succeeded ? 1 : 0)))}::int[],
        ${sql.param(health.map((h) => isoOrNull(h.failingSince)))}::text[],
        ${sql.param(health.map((h) => isoOrNull(h.lastSuccessAt)))}::text[],
        ${sql.param(health.map((h) => isoOrNull(h.lastFailureAt)))}::text[],
        ${sql.param(health.map((h) => h.lastError))}::text[]
      ) as h(id, succeeded, failing_since, last_success_at, last_failure_at, last_error)
      where e.id = h.id
      returning e.id, e.failing_since`);
    const failingSince = new Map(endpoints.map((e) => [e.id, e.failing_since ? new Date(e.failing_since).getTime() : null]));

    const next = outcomes.map(({ claimed, result }) => {
      if (result.ok) return { status: "delivered", failures: 0, failingSince: null, nextAttemptAt: null };
      const failures = claimed.failures + 1;
      const since = claimed.failingSince ?? result.startedAt;
      const delay = schedule.retryDelaysMs[failures - 1];
      if (delay !== undefined) {
        const jitter = schedule.jitter ?? 0.1;
        const at = new Date(Date.now() + delay * (1 - jitter + Math.random() * 2 * jitter));
        return { status: "pending", failures, failingSince: since, nextAttemptAt: at };
      }
      const endpointSince = failingSince.get(claimed.endpointId);
      const endpointDead = endpointSince !== null && endpointSince !== undefined && endpointSince <= since.getTime();
      return endpointDead
        ? { status: "parked", failures: 0, failingSince: null, nextAttemptAt: new Date() }
        : { status: "failed", failures, failingSince: since, nextAttemptAt: null };
    });

    const dead = [...new Set(outcomes.filter((_, i) => next[i]!.status === "parked").map((o) => o.claimed.endpointId))];
    if (dead.length > 0) {
      await tx.execute(sql`
        update webhook_endpoints
        set status = 'disabled', disabled_automatically = true, disabled_at = now(), updated_at = now(),
            disabled_reason = 'Every delivery failed for the whole retry window (last error: ' || coalesce(last_error, 'unknown') || '). Its events wait; enable it to replay them.'
        where id = any(${sql.param(dead)}::uuid[]) and status = 'enabled'`);
    }

    // A success also settles a row the stale-claim sweep had already given back (sent, slowly).
    await tx.execute(sql`
      update webhook_deliveries d
      set status = case u.status when 'parked' then 'pending' else u.status end::webhook_delivery_status,
          failures = u.failures, failing_since = u.failing_since::timestamptz,
          next_attempt_at = coalesce(u.next_attempt_at::timestamptz, d.next_attempt_at),
          delivered_at = case when u.status = 'delivered' then now() else d.delivered_at end,
          last_status_code = u.status_code, last_error = u.error, updated_at = now()
      from unnest(
        ${sql.param(outcomes.map((o) => o.claimed.message.id))}::uuid[],
        ${sql.param(next.map((n) => n.status))}::text[],
        ${sql.param(next.map((n) => n.failures))}::int[],
        ${sql.param(next.map((n) => isoOrNull(n.failingSince)))}::text[],
        ${sql.param(next.map((n) => isoOrNull(n.nextAttemptAt)))}::text[],
        ${sql.param(outcomes.map((o) => o.result.statusCode))}::int[],
        ${sql.param(outcomes.map((o) => o.result.error))}::text[]
      ) as u(id, status, failures, failing_since, next_attempt_at, status_code, error)
      where d.id = u.id and (d.status = 'sending' or (u.status = 'delivered' and d.status in ('pending', 'queued')))`);
  });
}
