import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { members, quotaLedger, type QuotaReason } from "@/db/schema";

/**
 * The only way a balance changes: one guarded UPDATE (never below zero, re-checked on the
 * latest row version under its row lock, so concurrent spends serialize) and its ledger row,
 * in the caller's transaction. Returns the new balance, or null when the change would
 * overdraw the balance (nothing written).
 */
export async function changeQuota(
  tx: Database,
  change: { memberId: string; delta: number; reason: QuotaReason; actor: string; invitationId?: string | null; batchId?: string | null },
): Promise<number | null> {
  if (change.delta === 0) throw new Error("changeQuota: delta must not be zero");
  const [row] = await tx
    .update(members)
    .set({ inviteQuota: sql`${members.inviteQuota} + ${change.delta}` })
    .where(and(eq(members.id, change.memberId), sql`${members.inviteQuota} + ${change.delta} >= 0`))
    .returning({ inviteQuota: members.inviteQuota });
  if (!row) return null;
  await tx.insert(quotaLedger).values({
    memberId: change.memberId,
    delta: change.delta,
    reason: change.reason,
    actor: change.actor,
    invitationId: change.invitationId ?? null,
    batchId: change.batchId ?? null,
  });
  return row.inviteQuota;
}

/**
 * Raises every member whose balance is below `quota` to exactly `quota` (phase activation),
 * one ledger row each, in one statement. Rows are locked first so a concurrent spend is
 * either fully before (and topped up) or fully after.
 */
export async function topUpMemberQuotas(tx: Database, options: { quota: number; actor: string }): Promise<number> {
  if (options.quota <= 0) return 0;
  const rows = await tx.execute<{ n: number }>(sql`
    with below as (
      select id, invite_quota as old from members where invite_quota < ${options.quota} for update
    ), raised as (
      update members m set invite_quota = ${options.quota}
      from below where m.id = below.id
      returning m.id, ${options.quota}::int - below.old as delta
    ), ledger as (
      insert into quota_ledger (member_id, delta, reason, actor)
      select id, delta, 'phase_topup', ${options.actor} from raised
      returning 1
    )
    select count(*)::int as n from ledger`);
  return rows[0]?.n ?? 0;
}
