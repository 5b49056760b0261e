import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { policySettings, type PolicySettings } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { forgetPolicySnapshots } from "./load-policy-snapshot";
import { policySettingsUpdate, type PolicySettingsUpdate } from "./policy.schema";

/** Changes policy settings (admins only); the audit row holds the changed fields before and after. */
export async function updatePolicySettings(db: Database, actor: Actor, input: PolicySettingsUpdate): Promise<PolicySettings> {
  assertCan(actor, "manage_policy");
  const patch = policySettingsUpdate.parse(input);
  if (Object.keys(patch).length === 0) throw new AppError("validation", "Nothing to change.");
  const updated = await db.transaction(async (tx) => {
    const [current] = await tx.select().from(policySettings).where(eq(policySettings.id, 1)).for("update");
    if (!current) throw new Error("policy_settings has no row: the database is not migrated");
    const cap = patch.referralBoostCap ?? current.referralBoostCap;
    const boost = patch.referralBoost ?? current.referralBoost;
    if (boost > cap) {
      throw new AppError("validation", "The referral boost cannot exceed its cap.", {
        fieldErrors: [{ path: "referralBoost", message: `must be at most the cap (${cap})` }],
      });
    }
    const [updated] = await tx
      .update(policySettings)
      .set({ ...patch, updatedAt: new Date(), updatedBy: actor.staffId })
      .where(eq(policySettings.id, 1))
      .returning();
    const changed = (Object.keys(patch) as (keyof typeof patch)[]).filter(
      (key) => JSON.stringify(current[key]) !== JSON.stringify(updated![key]),
    );
    await recordAudit(tx, {
      actor,
      action: "policy.update",
      targetType: "policy",
      targetId: "1",
      before: Object.fromEntries(changed.map((key) => [key, current[key]])),
      after: Object.fromEntries(changed.map((key) => [key, updated![key]])),
    });
    return updated!;
  });
  // This process's registrations see the change at once; other processes within SNAPSHOT_TTL_MS.
  forgetPolicySnapshots();
  return updated;
}
