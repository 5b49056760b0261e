import type { Database } from "@/db/client";
import { phases, type Phase } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { AppError, isUniqueViolation } from "@/lib/errors";
import { createPhaseInput, type CreatePhaseInput } from "./phases.schema";
import { parseInput } from "./validate";
import { editAllowList } from "./edit-allow-list";

function settingsForAudit(p: Phase) {
  const { createdAt: _c, updatedAt: _u, ...rest } = p;
  return rest;
}

export async function createPhase(db: Database, actor: Actor, input: CreatePhaseInput): Promise<Phase> {
  assertCan(actor, "manage_phases");
  const { allowedPhones, ...values } = parseInput(createPhaseInput, input);
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx.insert(phases).values({ ...values, status: "draft" }).returning();
      const allowList = allowedPhones ? await editAllowList(tx, row!.id, { replace: allowedPhones }) : null;
      await recordAudit(tx, {
        actor,
        action: "phase.create",
        targetType: "phase",
        targetId: row!.id,
        after: { ...settingsForAudit(row!), allowedPhones: allowList?.total ?? 0 },
      });
      return row!;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("conflict", "A phase with this slug already exists.", { fieldErrors: [{ path: "slug", message: "already taken" }] });
    throw error;
  }
}
