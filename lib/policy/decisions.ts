import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import type { Database } from "@/db/client";
import { policyDecisions, type PolicyDecision, type PolicyDecisionKind, type ScreeningOutcome } from "@/db/schema";

export interface PolicyDecisionInput {
  registrationId: string | null;
  kind: PolicyDecisionKind;
  outcome?: ScreeningOutcome;
  /** Machine-readable reason codes, e.g. "country_not_allowed". */
  reasons?: string[];
  /** Never a phone number or e-mail: decisions outlive personal-data erasure. */
  details?: Record<string, unknown>;
}

/** Records decisions of the fresh-registration policy; call it in the transaction that acts on them. */
export async function recordPolicyDecisions(tx: Database, decisions: PolicyDecisionInput[]): Promise<void> {
  if (decisions.length === 0) return;
  await policyDecisionsInsert(tx, decisions);
}

/** The insert recordPolicyDecisions runs, not yet run: to send it within a larger statement. */
export function policyDecisionsInsert(tx: Database, decisions: PolicyDecisionInput[]) {
  return tx.insert(policyDecisions).values(
    decisions.map((d) => ({
      registrationId: d.registrationId,
      kind: d.kind,
      outcome: d.outcome ?? null,
      reasons: d.reasons ?? [],
      details: d.details ?? null,
    })),
  );
}

/** Newest first, keyset-paginated by id: per registration (detail page) or all (Policy page). */
export async function listPolicyDecisions(
  db: Database,
  options: { registrationId?: string; kind?: PolicyDecisionKind; beforeId?: number; limit?: number } = {},
): Promise<PolicyDecision[]> {
  const filters: SQL[] = [];
  if (options.registrationId) filters.push(eq(policyDecisions.registrationId, options.registrationId));
  if (options.kind) filters.push(eq(policyDecisions.kind, options.kind));
  if (options.beforeId !== undefined) filters.push(lt(policyDecisions.id, options.beforeId));
  return db
    .select()
    .from(policyDecisions)
    .where(filters.length ? and(...filters) : undefined)
    .orderBy(desc(policyDecisions.id))
    .limit(Math.min(Math.max(options.limit ?? 50, 1), 500));
}
