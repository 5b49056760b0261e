import { and, sql, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Database } from "@/db/client";

/** How many rows a console list matches, as cheaply as is honest. */
export interface ListCount {
  value: number;
  /** exact: counted; atLeast: the count stopped at the cap; estimate: planner statistics. */
  kind: "exact" | "atLeast" | "estimate";
}

export const COUNT_CAP = 10_000;

/**
 * A filtered count stops at 10,000 ("10,000+"); the unfiltered total of a large table comes from
 * the planner's estimate ("≈") instead of a scan.
 */
export async function countCapped(db: Database, table: PgTable, tableName: string, filters: SQL[]): Promise<ListCount> {
  if (filters.length === 0) {
    const [estimate] = await db.execute<{ n: number }>(sql`select reltuples::bigint as n from pg_class where oid = ${tableName}::regclass`);
    if (estimate && Number(estimate.n) > COUNT_CAP) return { value: Number(estimate.n), kind: "estimate" };
  }
  const capped = db
    .select({ one: sql`1` })
    .from(table)
    .where(filters.length ? and(...filters) : undefined)
    .limit(COUNT_CAP + 1)
    .as("capped");
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(capped);
  const n = row?.n ?? 0;
  return n > COUNT_CAP ? { value: COUNT_CAP, kind: "atLeast" } : { value: n, kind: "exact" };
}
