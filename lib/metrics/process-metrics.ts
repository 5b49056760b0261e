// What one process counts itself (Prometheus, prom-client): HTTP latency per route, the public
// API's registrations and verifications, and Node's own process metrics. With several web
// processes a scrape adds them up (./cluster-metrics.ts); figures read from the database and Redis
// at scrape time live in ./scrape-metrics.ts instead, so they are never summed once per process.
//
// The hot path pays one histogram observe per request: the series of a (route, status class) is
// looked up once and kept, never rebuilt from a labels object.
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** Latency buckets in seconds: the public API lives in the first few, console pages further up. */
const HTTP_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Series = { observe(value: number): void };

export interface ProcessMetrics {
  registry: Registry;
  httpDuration: Histogram<"route" | "status">;
  registrations: Counter;
  verifications: Counter<"result">;
  /** The series of one route label and status class (index 1–5: 1xx–5xx), made on first use. */
  seriesOf(route: string): Series[];
}

function create(): ProcessMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "gatehouse_" });
  const httpDuration = new Histogram({
    name: "gatehouse_http_request_duration_seconds",
    help: "Time to answer an HTTP request, by route (the API operation id, or a bounded label for Next pages) and status class.",
    labelNames: ["route", "status"] as const,
    buckets: HTTP_BUCKETS,
    registers: [registry],
  });
  const registrations = new Counter({
    name: "gatehouse_registrations_total",
    help: "Registrations accepted by POST /api/v1/registrations (new phones and re-registrations alike).",
    registers: [registry],
  });
  const verifications = new Counter({
    name: "gatehouse_verifications_total",
    help: "Verification attempts past the rate limits, by result: verified, or rejected (wrong or expired code).",
    labelNames: ["result"] as const,
    registers: [registry],
  });
  // Both results exposed from the start, so a rate over them never starts from a missing series.
  for (const result of ["verified", "rejected"]) verifications.inc({ result }, 0);
  const seriesByRoute = new Map<string, Series[]>();
  return {
    registry,
    httpDuration,
    registrations,
    verifications,
    seriesOf(route) {
      let series = seriesByRoute.get(route);
      if (!series) {
        series = ["0xx", "1xx", "2xx", "3xx", "4xx", "5xx"].map((status) => httpDuration.labels({ route, status }));
        seriesByRoute.set(route, series);
      }
      return series;
    },
  };
}

// On globalThis: Next bundles its own copy of lib/, and two copies must not register the same
// metric names twice or count into registries nobody scrapes.
const shared = globalThis as unknown as { gatehouseProcessMetrics?: ProcessMetrics };

export function processMetrics(): ProcessMetrics {
  return (shared.gatehouseProcessMetrics ??= create());
}

/** One answered request: `startedAt` from performance.now() when it arrived. */
export function observeHttp(route: string, status: number, startedAt: number): void {
  const statusClass = Math.floor(status / 100);
  processMetrics().seriesOf(route)[statusClass >= 1 && statusClass <= 5 ? statusClass : 0]!.observe((performance.now() - startedAt) / 1000);
}

export function countRegistration(): void {
  processMetrics().registrations.inc();
}

export function countVerification(result: "verified" | "rejected"): void {
  processMetrics().verifications.inc({ result });
}
