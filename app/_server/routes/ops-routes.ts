// Operations endpoints served by the front server: the health probes and the API documents.
import { z } from "zod";
import { getDb } from "@/db/client";
import { checkHealth, healthReportSchema } from "@/lib/health";
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
      return reply(report.db === "ok" ? 200 : 503, report, noStore);
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
