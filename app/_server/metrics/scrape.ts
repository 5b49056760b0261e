// One Prometheus scrape: what every web process counted (summed over them when there are several)
// followed by what the database and Redis say now, read once by the process serving the scrape.
import { getDb, type Database } from "@/db/client";
import { getQueueDepths } from "@/jobs/queue-stats";
import { listBatchProgress } from "@/lib/batches/list-batch-progress";
import { processMetricsText } from "@/lib/metrics/cluster-metrics";
import { renderScrapeMetrics, type ScrapeSnapshot, type SmsBudgetUse } from "@/lib/metrics/scrape-metrics";
import { countNotificationsByStatus } from "@/lib/notifications/count-notifications";
import { getSmsBudgetUse } from "@/lib/policy/get-sms-overview";
import { loadPolicySnapshot } from "@/lib/policy/load-policy-snapshot";
import { getRateLimiter } from "@/lib/rate-limit/rate-limiter";

/** The global SMS budget and those of this hour's busiest countries and prefixes, with their use (the Policy page's figures). */
async function readSmsBudgets(db: Database): Promise<SmsBudgetUse[]> {
  const { settings } = await loadPolicySnapshot(db);
  const budgets = await getSmsBudgetUse(db, { settings, limiter: getRateLimiter() });
  return [
    { scope: "global", key: budgets.global.scope, used: budgets.global.used, limit: budgets.global.budget },
    ...budgets.countries.map((b): SmsBudgetUse => ({ scope: "country", key: b.scope, used: b.used, limit: b.budget })),
    ...budgets.prefixes.map((b): SmsBudgetUse => ({ scope: "prefix", key: b.scope, used: b.used, limit: b.budget })),
  ];
}

export async function scrapeMetrics(): Promise<string> {
  const db = getDb();
  const [processText, queues, notifications, batches, smsBudgets] = await Promise.all([
    processMetricsText(),
    getQueueDepths(),
    countNotificationsByStatus(db),
    listBatchProgress(db),
    readSmsBudgets(db),
  ]);
  const snapshot: ScrapeSnapshot = {
    queues,
    notificationsByStatus: notifications.byStatus,
    oldestPendingNotificationAgeSeconds: notifications.oldestPendingAgeSeconds,
    batches,
    smsBudgets,
  };
  return `${processText.trimEnd()}\n\n${await renderScrapeMetrics(snapshot)}`;
}
