import { getDb } from "@/db/client";
import { env } from "@/lib/env.js";
import { checkHealth } from "@/lib/health";

export const dynamic = "force-dynamic";

/** 200 `{status:"ok", db, redis}`; 503 when the database is down (Redis down alone is still 200). */
export async function GET(): Promise<Response> {
  const report = await checkHealth({ db: getDb, redisUrl: env.REDIS_URL });
  return Response.json(report, { status: report.db === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } });
}
