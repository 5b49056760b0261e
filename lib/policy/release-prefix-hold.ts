import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { smsPrefixHolds, type SmsPrefixHold } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { forgetPolicySnapshots } from "./load-policy-snapshot";

export const releasePrefixHoldInput = z.object({
  prefix: z.string().regex(/^\+[1-9]\d{1,15}$/, 'a number prefix, "+" and digits'),
});
export type ReleasePrefixHoldInput = z.input<typeof releasePrefixHoldInput>;

/**
 * Lets codes go to a held prefix again (admins: it is a policy decision). Its conversion is then
 * judged only on codes sent after the release, so the hour that held it does not hold it again.
 */
export async function releasePrefixHold(db: Database, actor: Actor, input: ReleasePrefixHoldInput): Promise<SmsPrefixHold> {
  assertCan(actor, "manage_policy");
  const { prefix } = releasePrefixHoldInput.parse(input);
  const released = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(smsPrefixHolds)
      .set({ status: "released", releasedAt: new Date(), releasedBy: actor.staffId })
      .where(and(eq(smsPrefixHolds.prefix, prefix), eq(smsPrefixHolds.status, "held")))
      .returning();
    if (!row) throw new AppError("not_found", `The prefix ${prefix} is not held.`);
    await recordAudit(tx, {
      actor,
      action: "policy.prefix_release",
      targetType: "sms_prefix",
      targetId: prefix,
      before: { status: "held", reason: row.reason, heldAt: row.heldAt },
      after: { status: "released" },
    });
    return row;
  });
  forgetPolicySnapshots();
  return released;
}
