// A stand-in web process for the metrics aggregation test, run as a node:cluster worker: it counts
// REGISTRATIONS registrations, then answers "scrape" with what a scrape of it would return.
import { processMetricsText } from "../../lib/metrics/cluster-metrics";
import { countRegistration } from "../../lib/metrics/process-metrics";

for (let i = 0; i < Number(process.env.REGISTRATIONS ?? 0); i++) countRegistration();
process.on("message", (message) => {
  if (message !== "scrape") return;
  void processMetricsText().then((text) => process.send!({ scraped: text }));
});
process.send!("ready");
