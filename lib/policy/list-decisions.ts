// The Policy page's decisions log: every decision of the fresh-registration policy, newest (or
// oldest) first, keyset-paginated on the bigserial id (the primary key index), never OFFSET.
// Filters: kind, screening outcome, reason code (an element of `reasons`).
import { and, asc, desc, eq, gt, lt, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { policyDecisionKind, policyDecisions, screeningOutcome, type PolicyDecision } from "@/db/schema";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { type KeysetPage, readDirection, toKeysetPage } from "@/lib/keyset";
import { countCapped, type ListCount } from "@/lib/list-count";
import { smsBudgetReasons, smsWithheldReasons } from "./sms-spending-rules";

/**
 * Reason codes the screening (lib/policy/screening.ts) and the request path's SMS decisions
 * (sms-spending-rules.ts) write, for the filter menu.
 */
export const screeningReasons: readonly string[] = [
  ...new Set([
    "invalid_number",
    "not_mobile",
    ...smsWithheldReasons,
    "disposable_email",
    "blocked_phone_hash",
    ...smsBudgetReasons,
  ]),
];

export const decisionListInput = z.object({
  kind: z.enum(policyDecisionKind.enumValues).optional(),
  outcome: z.enum(screeningOutcome.enumValues).optional(),
  reason: z
    .string()
    .trim()
    .regex(/^[a-z_]{1,60}$/, "a reason code such as country_not_allowed")
    .optional(),
  dir: z.enum(["desc", "asc"]).default("desc"),
  after: z.coerce.number().int().positive().optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type DecisionListInput = z.input<typeof decisionListInput>;

export type DecisionListPage = KeysetPage<PolicyDecision, number>;

function filterConditions(input: z.output<typeof decisionListInput>): SQL[] {
  const conditions: SQL[] = [];
  if (input.kind) conditions.push(eq(policyDecisions.kind, input.kind));
  if (input.outcome) conditions.push(eq(policyDecisions.outcome, input.outcome));
  if (input.reason) conditions.push(sql`${policyDecisions.reasons} @> array[${input.reason}]::text[]`);
  return conditions;
}

export async function listDecisions(db: Database, actor: Actor, rawInput: DecisionListInput): Promise<DecisionListPage> {
  assertCan(actor, "view");
  const input = decisionListInput.parse(rawInput);
  const backwards = input.before !== undefined;
  const direction = readDirection(input.dir, backwards);
  const cursor = input.before ?? input.after;
  const conditions = filterConditions(input);
  if (cursor !== undefined) conditions.push(direction === "desc" ? lt(policyDecisions.id, cursor) : gt(policyDecisions.id, cursor));
  const fetched = await db
    .select()
    .from(policyDecisions)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(direction === "desc" ? desc(policyDecisions.id) : asc(policyDecisions.id))
    .limit(input.limit + 1);
  return toKeysetPage(fetched, { limit: input.limit, backwards, fromCursor: cursor !== undefined });
}

export type DecisionCount = ListCount;

/** Unfiltered: the planner's estimate once the table is large ("≈"); filtered: counted up to 10,000 ("10,000+"). */
export async function countDecisions(db: Database, rawInput: DecisionListInput): Promise<DecisionCount> {
  const input = decisionListInput.parse(rawInput);
  const filters = filterConditions(input);
  return countCapped(db, policyDecisions, "policy_decisions", filters);
}
