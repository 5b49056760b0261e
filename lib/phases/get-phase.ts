import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { phases, type Phase } from "@/db/schema";
import { AppError } from "@/lib/errors";

export async function getPhase(db: Database, phaseId: string): Promise<Phase> {
  const [row] = await db.select().from(phases).where(eq(phases.id, phaseId)).limit(1);
  if (!row) throw new AppError("not_found", "No such phase.");
  return row;
}

export async function getActivePhase(db: Database): Promise<Phase | null> {
  const [row] = await db.select().from(phases).where(eq(phases.status, "active")).limit(1);
  return row ?? null;
}

export async function lockPhase(tx: Database, phaseId: string): Promise<Phase> {
  const [row] = await tx.select().from(phases).where(eq(phases.id, phaseId)).for("update").limit(1);
  if (!row) throw new AppError("not_found", "No such phase.");
  return row;
}
