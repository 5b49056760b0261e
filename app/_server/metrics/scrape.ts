// One Prometheus scrape: what every web process counted (summed over them when there are several)
// followed by what the database and Redis say now, read once by the process serving the scrape.
import { getDb } from "@/db/client";
import { getQueueDepths } from "@/jobs/queue-stats";
import { listBatchProgress } from "@/lib/batches/list-batch-progress";
import { processMetricsText } from "@/lib/metrics/cluster-metrics";
import { renderScrapeMetrics, type ScrapeSnapshot, type SmsBudgetUse } from "@/lib/metrics/scrape-metrics";
import { countNotificationsByStatus } from "@/lib/notifications/count-notifications";

/**
 * The SMS budgets' use in their current windows. SMS budgets (issue 10) are not on main yet: when
 * they land, read them here (a per-scope list of used and limit) and the gauges
 * gatehouse_sms_budget_used / _limit appear in the scrape.
 */
async function readSmsBudgets(): Promise<SmsBudgetUse[] | undefined> {
  return undefined;
}

export async function scrapeMetrics(): Promise<string> {
  const db = getDb();
  const [processText, queues, notifications, batches, smsBudgets] = await Promise.all([
    processMetricsText(),
    getQueueDepths(),
    countNotificationsByStatus(db),
    listBatchProgress(db),
    readSmsBudgets(),
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
