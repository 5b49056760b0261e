// Operations endpoints served by the front server: the health probes, the metrics and the API documents.
import { createHash, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { getDb } from "@/db/client";
import { env } from "@/lib/env.js";
import { AppError, UNAVAILABLE_RETRY_AFTER_SECONDS } from "@/lib/errors";
import { checkHealth, healthReportSchema } from "@/lib/health";
import { bearerTokenFrom } from "@/lib/http/request";
import { scrapeMetrics } from "../metrics/scrape";
import { opsRoute, reply, type RouteDefinition } from "./define-route";

const noStore = { "cache-control": "no-store" };

export const healthRoutes: RouteDefinition[] = [
  opsRoute(
    {
      id: "health",
      method: "GET",
      path: "/api/health",
      tags: ["health"],
      summary: "Readiness: the database and Redis",
      responses: {
        200: { description: "Up (Redis may be down: the public API still works)", schema: healthReportSchema },
        503: { description: "The database is down", schema: healthReportSchema },
      },
    },
    async () => {
      const report = await checkHealth({ db: getDb });
      if (report.db === "ok") return reply(200, report, noStore);
      return reply(503, report, { ...noStore, "retry-after": String(UNAVAILABLE_RETRY_AFTER_SECONDS) });
    },
  ),
  opsRoute(
    {
      id: "liveness",
      method: "GET",
      path: "/api/health/live",
      tags: ["health"],
      summary: "Liveness: 200 while the process serves requests, whatever its dependencies",
      responses: { 200: { description: "Alive", schema: z.object({ status: z.literal("ok") }) } },
    },
    () => reply(200, { status: "ok" }, noStore),
  ),
];

/** GET <path> → the document, built once per process (it only changes with the code). */
export function documentRoute(options: { id: string; path: string; summary: string; build: () => unknown }): RouteDefinition {
  let cached: string | undefined;
  return opsRoute(
    {
      id: options.id,
      method: "GET",
      path: options.path,
      tags: ["documents"],
      summary: options.summary,
      responses: { 200: { description: "OpenAPI 3.1 document" } },
    },
    () => {
      cached ??= JSON.stringify(options.build());
      return reply(200, cached, { "content-type": "application/json", "cache-control": "public, max-age=300" });
    },
  );
}

const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** Compared as digests, so the time taken says nothing about how much of the token was right. */
function sameToken(given: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Prometheus metrics for a bearer METRICS_TOKEN. Unset, the endpoint does not exist (404); a
 * missing or wrong token is 401, so a misconfigured scraper says what is wrong with it.
 */
export const metricsRoute: RouteDefinition = opsRoute(
  {
    id: "metrics",
    method: "GET",
    path: "/api/metrics",
    tags: ["operations"],
    summary: "Prometheus metrics: HTTP latency per route, registrations, verifications, notifications, queues, batches",
    description:
      "Bearer METRICS_TOKEN. 404 while METRICS_TOKEN is unset, 401 for a missing or wrong token. With several web processes the counters and histograms are summed over all of them.",
    security: "metricsToken",
    responses: { 200: { description: "Prometheus text exposition format 0.0.4", contentType: PROMETHEUS_CONTENT_TYPE } },
    errors: [401, 404],
  },
  async ({ headers }) => {
    const expected = env.METRICS_TOKEN;
    if (!expected) throw new AppError("not_found", "There is no /api/metrics.");
    const token = bearerTokenFrom(headers);
    if (!token || !sameToken(token, expected)) throw new AppError("unauthenticated", "Send the metrics token as `Authorization: Bearer <METRICS_TOKEN>`.");
    return reply(200, await scrapeMetrics(), { "content-type": PROMETHEUS_CONTENT_TYPE, "cache-control": "no-store" });
  },
);
