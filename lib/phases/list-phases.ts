import { asc, desc, eq, inArray } from "drizzle-orm";
import type { Database } from "@/db/client";
import { phaseAllowedPhones, phases, type Phase } from "@/db/schema";

export async function listPhases(db: Database): Promise<Phase[]> {
  return db.select().from(phases).orderBy(desc(phases.createdAt));
}

export async function listAllowedPhones(db: Database, phaseId: string): Promise<string[]> {
  const rows = await db
    .select({ phone: phaseAllowedPhones.phone })
    .from(phaseAllowedPhones)
    .where(eq(phaseAllowedPhones.phaseId, phaseId))
    .orderBy(asc(phaseAllowedPhones.phone));
  return rows.map((r) => r.phone);
}

export async function phasesById(db: Database, ids: string[]): Promise<Map<string, Phase>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select().from(phases).where(inArray(phases.id, ids));
  return new Map(rows.map((p) => [p.id, p]));
}
