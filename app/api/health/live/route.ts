export const dynamic = "force-dynamic";

/**
 * Liveness: 200 while the process serves requests, whatever its dependencies (a restart would
 * not bring a database back). Readiness, with the dependencies, is GET /api/health.
 */
export function GET(): Response {
  return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
}
