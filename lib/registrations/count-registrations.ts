// How many registrations match the Waitlist filters, as cheaply as is honest (SPEC §7: exact for
// narrow filters, an estimate shown as "≈" for broad ones):
//   waiting, unfiltered  exact, from waitlist_counts (no row is counted)
//   a search             exact (an index lookup finds a handful of rows)
//   other filters        the planner's estimate; when it is small, an exact count that must
//                        finish within a few milliseconds (a rare filter without an index over
//                        10M rows would not), else the estimate
import { type SQL, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import type { Actor } from "@/lib/auth/roles";
import { waitingCount } from "./position";
import { allOf } from "@/lib/sql";
import { filterConditions, registrationListInput, skipsPeople, type RegistrationListInput } from "./list-registrations";

export interface RegistrationCount {
  value: number;
  /** exact: counted (or read from waitlist_counts); estimate: planner statistics, shown as "≈". */
  kind: "exact" | "estimate";
}

/** A broad filter is not counted row by row: beyond this estimate the planner's figure is shown. */
const EXACT_COUNT_ESTIMATE_LIMIT = 20_000;
/** Time a narrow count may take before the estimate is shown instead (a rare filter without an index). */
const EXACT_COUNT_BUDGET_MS = 15;

async function plannerEstimate(db: Database, where: SQL): Promise<number> {
  const rows = await db.execute<{ "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] }>(
    sql`explain (format json) select 1 from registrations r where ${where}`,
  );
  return Math.round(rows[0]?.["QUERY PLAN"]?.[0]?.Plan?.["Plan Rows"] ?? 0);
}

/**
 * How many registrations match, as cheaply as is honest: waiting-only from waitlist_counts
 * (exact), searches by counting (an index lookup), other narrow filters by counting within a
 * small time budget, broad ones from the planner's estimate.
 */
export async function countRegistrations(db: Database, actor: Pick<Actor, "role">, rawInput: RegistrationListInput): Promise<RegistrationCount> {
  const input = registrationListInput.parse(rawInput);
  // The actor's role decides which searches it may run (never by phone when phones are masked).
  const filters = await filterConditions(db, input, actor.role);
  if (typeof filters === "string") return { value: 0, kind: "exact" };
  if (input.status === "waiting" && !skipsPeople(input)) return { value: await waitingCount(db), kind: "exact" };
  const where = allOf(filters);
  const exactCount = async (tx: Database) => {
    const rows = await tx.execute<{ n: number }>(sql`select count(*)::bigint as n from registrations r where ${where}`);
    return { value: Number(rows[0]?.n ?? 0), kind: "exact" as const };
  };
  if (input.q) return exactCount(db);

  const estimate = await plannerEstimate(db, where);
  if (estimate > EXACT_COUNT_ESTIMATE_LIMIT) return { value: estimate, kind: "estimate" };
  try {
    return await db.transaction(async (tx) => {
      await tx.execute(sql.raw(`set local statement_timeout = ${EXACT_COUNT_BUDGET_MS}`));
      return exactCount(tx);
    });
  } catch (error) {
    // 57014 = query_canceled: the count ran over its budget.
    const code = (error as { code?: string; cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
    if (code === "57014") return { value: estimate, kind: "estimate" };
    throw error;
  }
}
