import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { phases, type Phase } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { updatePhaseInput, type UpdatePhaseInput } from "./phases.schema";
import { parseInput } from "./validate";
import { lockPhase } from "./get-phase";
import { replaceAllowedPhones, settingsForAudit } from "./write-phase-settings";

/** Edits a phase that is not closed (capacity and caps may be tuned while it runs). */
export async function updatePhase(db: Database, actor: Actor, phaseId: string, input: UpdatePhaseInput): Promise<Phase> {
  assertCan(actor, "manage_phases");
  const { allowedPhones, ...values } = parseInput(updatePhaseInput, input);
  return db.transaction(async (tx) => {
    const before = await lockPhase(tx, phaseId);
    if (before.status === "closed") throw new AppError("invalid_state", "A closed phase cannot be edited.");
    const startsAt = values.startsAt === undefined ? before.startsAt : values.startsAt;
    const endsAt = values.endsAt === undefined ? before.endsAt : values.endsAt;
    if (startsAt && endsAt && endsAt <= startsAt) {
      throw new AppError("validation", "The phase must end after it starts.", { fieldErrors: [{ path: "endsAt", message: "must be after startsAt" }] });
    }
    if (before.status === "scheduled" && values.startsAt === null) {
      throw new AppError("invalid_state", "A scheduled phase needs a start time.", { fieldErrors: [{ path: "startsAt", message: "required while scheduled" }] });
    }
    const [after] = await tx.update(phases).set({ ...values, updatedAt: new Date() }).where(eq(phases.id, phaseId)).returning();
    if (allowedPhones) await replaceAllowedPhones(tx, phaseId, allowedPhones);
    await recordAudit(tx, {
      actor,
      action: "phase.update",
      targetType: "phase",
      targetId: phaseId,
      before: settingsForAudit(before),
      after: { ...settingsForAudit(after!), ...(allowedPhones ? { allowedPhones: allowedPhones.length } : {}) },
    });
    return after!;
  });
}
