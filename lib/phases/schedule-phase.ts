import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { phases, type Phase } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { schedulePhaseInput } from "./phases.schema";
import { parseInput } from "./validate";
import { lockPhase } from "./get-phase";

/** draft → scheduled: the scheduler activates it at `startsAt`. */
export async function schedulePhase(db: Database, actor: Actor, phaseId: string, input: { startsAt: Date | string }): Promise<Phase> {
  assertCan(actor, "manage_phases");
  const { startsAt } = parseInput(schedulePhaseInput, input);
  return db.transaction(async (tx) => {
    const before = await lockPhase(tx, phaseId);
    if (before.status !== "draft" && before.status !== "scheduled") {
      throw new AppError("invalid_state", `A ${before.status} phase cannot be scheduled.`);
    }
    if (before.endsAt && before.endsAt <= startsAt) {
      throw new AppError("validation", "The phase must end after it starts.", { fieldErrors: [{ path: "startsAt", message: "must be before endsAt" }] });
    }
    const [after] = await tx.update(phases).set({ status: "scheduled", startsAt, updatedAt: new Date() }).where(eq(phases.id, phaseId)).returning();
    await recordAudit(tx, { actor, action: "phase.schedule", targetType: "phase", targetId: phaseId, before: { status: before.status, startsAt: before.startsAt }, after: { status: "scheduled", startsAt } });
    return after!;
  });
}
