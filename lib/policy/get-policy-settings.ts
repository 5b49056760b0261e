import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { policySettings, type PolicySettings } from "@/db/schema";

/** The one policy row (seeded by the migrations). */
export async function getPolicySettings(db: Database): Promise<PolicySettings> {
  const [row] = await db.select().from(policySettings).where(eq(policySettings.id, 1)).limit(1);
  if (!row) throw new Error("policy_settings has no row: the database is not migrated");
  return row;
}
