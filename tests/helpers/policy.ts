// Policy settings for a test: written straight to the row, and the process's policy snapshot
// forgotten so the next request sees them (in production a change made elsewhere takes up to
// SNAPSHOT_TTL_MS to reach a web process).
import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { policySettings, type PolicySettings } from "../../db/schema";
import { forgetPolicySnapshots } from "../../lib/policy/load-policy-snapshot";

type Patch = Partial<Omit<PolicySettings, "id" | "updatedAt" | "updatedBy">>;

export async function setPolicy(db: Database, patch: Patch): Promise<void> {
  await db.update(policySettings).set(patch).where(eq(policySettings.id, 1));
  forgetPolicySnapshots();
}

/** Sets the patch, runs `work`, and restores the previous values whatever happens. */
export async function withPolicy<T>(db: Database, patch: Patch, work: () => Promise<T>): Promise<T> {
  const [current] = await db.select().from(policySettings).where(eq(policySettings.id, 1));
  const previous = Object.fromEntries(Object.keys(patch).map((key) => [key, current![key as keyof PolicySettings]])) as Patch;
  await setPolicy(db, patch);
  try {
    return await work();
  } finally {
    await setPolicy(db, previous);
  }
}
