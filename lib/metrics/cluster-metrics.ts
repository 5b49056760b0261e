// Several web processes (node:cluster, WEB_CONCURRENCY > 1) share one port, so a scrape reaches
// one of them at random — and must still see them all. The primary aggregates, with prom-client's
// AggregatorRegistry: the web process serving the scrape asks the primary, the primary collects
// every web process's registry (counters and histograms summed), and answers the one that asked.
//
// The hook for the process-model code: call installMetricsPrimary() in the primary BEFORE it
// forks. Its workers then find GATEHOUSE_METRICS_PRIMARY in their environment and ask the
// primary; without it (one process, or a primary without the hook) a process answers alone.
// Every web process imports this module at start-up (the metrics route does), and from then on
// answers the primary's collection requests.
import cluster from "node:cluster";
import { AggregatorRegistry } from "prom-client";
import { logger } from "@/lib/log";
import { processMetrics } from "./process-metrics";

const COLLECT = "gatehouse:metrics:collect";
const COLLECTED = "gatehouse:metrics:collected";
const PRIMARY_FLAG = "GATEHOUSE_METRICS_PRIMARY";
/** prom-client gives up on silent workers after 5 s; wait a little longer for its answer. */
const ASK_TIMEOUT_MS = 6000;

interface CollectMessage {
  type: typeof COLLECT;
  id: number;
}
interface CollectedMessage {
  type: typeof COLLECTED;
  id: number;
  text?: string;
  error?: string;
}

let primaryInstalled = false;

/** In the node:cluster primary of the web tier, before forking: aggregate the workers' metrics on request. */
export function installMetricsPrimary(): void {
  if (!cluster.isPrimary) throw new Error("installMetricsPrimary() belongs in the cluster primary");
  if (primaryInstalled) return;
  primaryInstalled = true;
  process.env[PRIMARY_FLAG] = "1";
  const aggregator = new AggregatorRegistry();
  cluster.on("message", (worker, message: CollectMessage | undefined) => {
    if (message?.type !== COLLECT) return;
    const answer = (reply: Omit<CollectedMessage, "type" | "id">) => {
      if (worker.isConnected()) worker.send({ type: COLLECTED, id: message.id, ...reply } satisfies CollectedMessage);
    };
    aggregator.clusterMetrics().then(
      (text) => answer({ text }),
      (error: unknown) => answer({ error: error instanceof Error ? error.message : String(error) }),
    );
  });
}

let workerAnswering = false;

/** In a cluster worker: answer the primary's collection requests with this process's registry. */
function answerPrimary(): void {
  if (workerAnswering) return;
  workerAnswering = true;
  // prom-client's worker half listens once an AggregatorRegistry exists in the process.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([processMetrics().registry]);
}

let nextId = 0;

function askPrimary(): Promise<string> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const onMessage = (message: CollectedMessage | undefined) => {
      if (message?.type !== COLLECTED || message.id !== id) return;
      done();
      if (message.error !== undefined) reject(new Error(message.error));
      else resolve(message.text ?? "");
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`the cluster primary did not answer within ${ASK_TIMEOUT_MS} ms`));
    }, ASK_TIMEOUT_MS);
    const done = () => {
      clearTimeout(timer);
      process.off("message", onMessage);
    };
    process.on("message", onMessage);
    process.send!({ type: COLLECT, id } satisfies CollectMessage);
  });
}

/** Whether a scrape of this process aggregates over every web process. */
export function metricsAggregated(): boolean {
  return cluster.isWorker && process.env[PRIMARY_FLAG] === "1" && typeof process.send === "function";
}

/** The per-process metrics as Prometheus text: summed over every web process when there are several. */
export async function processMetricsText(): Promise<string> {
  if (!metricsAggregated()) return processMetrics().registry.metrics();
  answerPrimary();
  try {
    return await askPrimary();
  } catch (error) {
    // One process's numbers beat none; the log says why the scrape is partial.
    logger.warn({ err: { message: error instanceof Error ? error.message : String(error) } }, "metrics.aggregation_failed");
    return processMetrics().registry.metrics();
  }
}

if (metricsAggregated()) answerPrimary();
