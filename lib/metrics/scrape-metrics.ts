// Figures read from PostgreSQL and Redis when Prometheus scrapes: queue depths, notifications by
// status, batch progress, SMS budget use. They describe the whole system, not a process, so the
// one process serving the scrape reads them once (never summed over web processes), into a
// registry made for that scrape.
import { Gauge, Registry } from "prom-client";
import type { BatchProgress } from "@/lib/batches/list-batch-progress";

export interface QueueDepth {
  queue: string;
  counts: Record<string, number>;
}


/** One SMS budget (per country, per prefix, global) and its use in its current window. */
export interface SmsBudgetUse {
  scope: "country" | "prefix" | "global";
  /** The country code or prefix; "all" for the global ceiling. */
  key: string;
  used: number;
  limit: number;
}

export interface ScrapeSnapshot {
  /** null while Redis is unreachable. */
  queues: QueueDepth[] | null;
  notificationsByStatus: Record<string, number>;
  oldestPendingNotificationAgeSeconds: number | null;
  /** Batches queued or running, and those finished in the last minutes. */
  batches: BatchProgress[];
  smsBudgets: SmsBudgetUse[];
}

const BATCH_COUNTERS = ["requested", "selected", "invited", "notified", "failed"] as const;

export function renderScrapeMetrics(snapshot: ScrapeSnapshot): Promise<string> {
  const registry = new Registry();
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge<L>({ name, help, labelNames, registers: [registry] });

  gauge("gatehouse_redis_up", "1 when the queues' Redis answered this scrape, 0 when it did not.", []).set(snapshot.queues ? 1 : 0);
  const jobs = gauge("gatehouse_queue_jobs", "Jobs per BullMQ queue and state.", ["queue", "state"]);
  for (const queue of snapshot.queues ?? []) {
    for (const [state, count] of Object.entries(queue.counts)) jobs.set({ queue: queue.queue, state }, count);
  }

  const notifications = gauge("gatehouse_notifications", "Notifications (outbox rows) by status; `sent` is estimated on large tables.", ["status"]);
  for (const [status, count] of Object.entries(snapshot.notificationsByStatus)) notifications.set({ status }, count);
  const oldest = gauge("gatehouse_notification_oldest_pending_age_seconds", "Age of the oldest notification not yet relayed to a queue (0: none).", []);
  oldest.set(snapshot.oldestPendingNotificationAgeSeconds ?? 0);

  const batchItems = gauge(
    "gatehouse_batch_items",
    "Progress of batches queued, running or finished in the last 15 minutes: registrations requested, selected, invited, notified, failed.",
    ["batch_id", "kind", "status", "counter"],
  );
  const active = gauge("gatehouse_batches_active", "Batches queued or running.", ["status"]);
  active.set({ status: "queued" }, 0);
  active.set({ status: "running" }, 0);
  for (const batch of snapshot.batches) {
    for (const counter of BATCH_COUNTERS) batchItems.set({ batch_id: batch.id, kind: batch.kind, status: batch.status, counter }, batch[counter]);
    if (batch.status === "queued" || batch.status === "running") active.inc({ status: batch.status });
  }

  const used = gauge(
    "gatehouse_sms_budget_used",
    "Verification codes counted against each SMS budget in its current window: the global one (per minute), and this hour's busiest countries and prefixes.",
    ["scope", "key"],
  );
  const limit = gauge("gatehouse_sms_budget_limit", "The ceiling of each SMS budget in its window (policy settings).", ["scope", "key"]);
  for (const budget of snapshot.smsBudgets) {
    used.set({ scope: budget.scope, key: budget.key }, budget.used);
    limit.set({ scope: budget.scope, key: budget.key }, budget.limit);
  }
  return registry.metrics();
}
