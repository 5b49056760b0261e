import { and, eq, lte } from "drizzle-orm";
import type { Database } from "@/db/client";
import { phases, type Phase } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { lockPhase } from "./get-phase";

export async function closePhase(db: Database, actor: Actor, phaseId: string): Promise<Phase> {
  assertCan(actor, "manage_phases");
  return db.transaction(async (tx) => {
    const before = await lockPhase(tx, phaseId);
    if (before.status === "closed") throw new AppError("invalid_state", "The phase is already closed.");
    const now = new Date();
    const [after] = await tx.update(phases).set({ status: "closed", closedAt: now, updatedAt: now }).where(eq(phases.id, phaseId)).returning();
    await recordAudit(tx, { actor, action: "phase.close", targetType: "phase", targetId: phaseId, before: { status: before.status }, after: { status: "closed" } });
    return after!;
  });
}

/** The scheduler's other half: the active phase whose `endsAt` has passed is closed. */
export async function closeEndedPhases(db: Database, now = new Date()): Promise<Phase | null> {
  return db.transaction(async (tx) => {
    const [ended] = await tx
      .update(phases)
      .set({ status: "closed", closedAt: now, updatedAt: now })
      .where(and(eq(phases.status, "active"), lte(phases.endsAt, now)))
      .returning();
    if (!ended) return null;
    await recordAudit(tx, { actor: null, action: "phase.close", targetType: "phase", targetId: ended.id, before: { status: "active" }, after: { status: "closed", reason: "endsAt reached" } });
    return ended;
  });
}
