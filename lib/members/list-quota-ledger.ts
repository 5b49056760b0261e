// A member's quota ledger as staff see it (the console's member page; the list is list-members.ts).
// Newest first, keyset-paginated on the ledger id, never OFFSET; a member's entries are found
// through quota_ledger_member_id_idx (a member has dozens, not millions).
import { and, asc, desc, eq, gt, lt, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { quotaLedger } from "@/db/schema";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { type KeysetPage, readDirection, toKeysetPage } from "@/lib/keyset";

export const ledgerPageInput = z.object({
  /** Id of the last entry of the previous page (`after`) or the first of the next one (`before`). */
  after: z.coerce.number().int().positive().optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type LedgerPageInput = z.input<typeof ledgerPageInput>;

export interface LedgerEntry {
  id: number;
  delta: number;
  reason: string;
  invitationId: string | null;
  batchId: string | null;
  actor: string;
  createdAt: Date;
}

/** One page of a member's ledger, newest first: every balance change with its reason. */
export async function listQuotaLedger(
  db: Database,
  actor: Actor,
  memberId: string,
  rawInput: LedgerPageInput = {},
): Promise<KeysetPage<LedgerEntry, number>> {
  assertCan(actor, "view");
  const input = ledgerPageInput.parse(rawInput);
  const backwards = input.before !== undefined;
  const direction = readDirection("desc", backwards);
  const cursor = backwards ? gt(quotaLedger.id, input.before!) : input.after !== undefined ? lt(quotaLedger.id, input.after) : undefined;
  const fetched = await db
    .select({
      id: quotaLedger.id,
      delta: quotaLedger.delta,
      reason: quotaLedger.reason,
      invitationId: quotaLedger.invitationId,
      batchId: quotaLedger.batchId,
      actor: quotaLedger.actor,
      createdAt: quotaLedger.createdAt,
    })
    .from(quotaLedger)
    .where(and(eq(quotaLedger.memberId, memberId), cursor))
    .orderBy(direction === "desc" ? desc(quotaLedger.id) : asc(quotaLedger.id))
    .limit(input.limit + 1);
  return toKeysetPage(fetched, { limit: input.limit, backwards, fromCursor: backwards || input.after !== undefined });
}

/** How many entries a member's ledger holds, and their sum (which always equals the balance). */
export async function summarizeQuotaLedger(db: Database, memberId: string): Promise<{ entries: number; total: number }> {
  const [row] = await db
    .select({ entries: sql<number>`count(*)::int`, total: sql<number>`coalesce(sum(${quotaLedger.delta}), 0)::int` })
    .from(quotaLedger)
    .where(eq(quotaLedger.memberId, memberId));
  return { entries: row?.entries ?? 0, total: row?.total ?? 0 };
}
