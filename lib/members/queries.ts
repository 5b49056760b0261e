// A member's quota ledger as staff see it (the console's member page; the list is list-members.ts).
import { desc, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { quotaLedger } from "@/db/schema";
import { type Actor, assertCan } from "@/lib/auth/roles";

/** One member's ledger, newest first: every balance change with its reason. */
export async function listQuotaLedger(db: Database, actor: Actor, memberId: string, limit = 200) {
  assertCan(actor, "view");
  return db
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
    .where(eq(quotaLedger.memberId, memberId))
    .orderBy(desc(quotaLedger.id))
    .limit(limit);
}
