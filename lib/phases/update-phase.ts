// Edits a phase (SPEC §3.3, §4). A draft or scheduled phase: every setting, its slug included
// (nothing outside refers to it before it opens). An active phase: what can be tuned while it
// runs — name, end, capacity, daily cap, invitation lifetime and expiry handling, eligibility and
// the allow-list; its slug (already announced to webhooks and the app), kind, start and member
// quota (topped up at activation) are fixed. A closed phase: nothing. One audit row with what
// changed (the allow-list as counts, never phones).
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { phases, type Phase } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { AppError, isUniqueViolation } from "@/lib/errors";
import { editAllowList } from "./edit-allow-list";
import { lockPhase } from "./get-phase";
import { FIXED_ONCE_ACTIVE, updatePhaseInput, type UpdatePhaseInput } from "./phases.schema";
import { parseInput } from "./validate";

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (Array.isArray(a) || Array.isArray(b)) return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  return (a ?? null) === (b ?? null);
}

/** The given settings whose value differs from the phase's. */
function changedSettings<T extends Record<string, unknown>>(before: Phase, values: T): Partial<T> {
  const changed: Partial<T> = {};
  for (const key of Object.keys(values) as (keyof T & string)[]) {
    if (values[key] !== undefined && !same(before[key as keyof Phase], values[key])) changed[key] = values[key];
  }
  return changed;
}

export async function updatePhase(db: Database, actor: Actor, phaseId: string, input: UpdatePhaseInput): Promise<Phase> {
  assertCan(actor, "manage_phases");
  const { allowedPhones, addAllowedPhones, removeAllowedPhones, removeAllowedPhoneRefs, ...values } = parseInput(updatePhaseInput, input);
  try {
    return await db.transaction(async (tx) => {
      const before = await lockPhase(tx, phaseId);
      if (before.status === "closed") throw new AppError("invalid_state", "A closed phase cannot be edited.");
      const changed = changedSettings(before, values);
      if (before.status === "active") {
        const fixed = FIXED_ONCE_ACTIVE.filter((key) => key in changed);
        if (fixed.length > 0) {
          throw new AppError("invalid_state", "While a phase is active its slug, kind, start and invites per member are fixed.", {
            fieldErrors: fixed.map((path) => ({ path, message: "fixed while the phase is active" })),
          });
        }
      }
      const startsAt = changed.startsAt === undefined ? before.startsAt : changed.startsAt;
      const endsAt = changed.endsAt === undefined ? before.endsAt : changed.endsAt;
      if (startsAt && endsAt && endsAt <= startsAt) {
        throw new AppError("validation", "The phase must end after it starts.", { fieldErrors: [{ path: "endsAt", message: "must be after the start" }] });
      }
      if (before.status === "scheduled" && changed.startsAt === null) {
        throw new AppError("invalid_state", "A scheduled phase needs a start time.", { fieldErrors: [{ path: "startsAt", message: "required while scheduled" }] });
      }
      const allowList = await editAllowList(tx, phaseId, { replace: allowedPhones, add: addAllowedPhones, remove: removeAllowedPhones, removeRefs: removeAllowedPhoneRefs });
      const keys = Object.keys(changed);
      if (keys.length === 0 && !allowList) return before;
      const [after] = keys.length
        ? await tx.update(phases).set({ ...changed, updatedAt: new Date() }).where(eq(phases.id, phaseId)).returning()
        : [before];
      await recordAudit(tx, {
        actor,
        action: "phase.update",
        targetType: "phase",
        targetId: phaseId,
        before: Object.fromEntries(keys.map((key) => [key, before[key as keyof Phase]])),
        after: { ...changed, ...(allowList ? { allowList } : {}) },
      });
      return after!;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("conflict", "A phase with this slug already exists.", { fieldErrors: [{ path: "slug", message: "already taken" }] });
    throw error;
  }
}
