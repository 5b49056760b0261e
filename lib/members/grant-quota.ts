import type { Database } from "@/db/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { parseInput } from "@/lib/phases/validate";
import { z } from "zod";
import { changeQuota } from "./quota";

export const grantQuotaInput = z.object({
  memberId: z.uuid(),
  amount: z.number().int().min(1).max(1000),
});

/** Staff gives one member `amount` more invites (growth). */
export async function grantQuota(db: Database, actor: Actor, input: z.input<typeof grantQuotaInput>): Promise<{ inviteQuota: number }> {
  assertCan(actor, "manage_batches");
  const { memberId, amount } = parseInput(grantQuotaInput, input);
  return db.transaction(async (tx) => {
    const balance = await changeQuota(tx, { memberId, delta: amount, reason: "grant", actor: `staff:${actor.staffId}` });
    if (balance === null) throw new AppError("not_found", "No such member.");
    await recordAudit(tx, { actor, action: "member.grant_quota", targetType: "member", targetId: memberId, before: { inviteQuota: balance - amount }, after: { inviteQuota: balance } });
    return { inviteQuota: balance };
  });
}
