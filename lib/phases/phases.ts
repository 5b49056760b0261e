import { and, asc, desc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { phaseAllowedPhones, phases, type Phase } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { AppError, isUniqueViolation } from "@/lib/errors";
import { topUpMemberQuotas } from "@/lib/members/quota";
import { createPhaseInput, schedulePhaseInput, updatePhaseInput, type CreatePhaseInput, type UpdatePhaseInput } from "./phases.schema";
import { parseInput } from "./validate";

export async function listPhases(db: Database): Promise<Phase[]> {
  return db.select().from(phases).orderBy(desc(phases.createdAt));
}

export async function getPhase(db: Database, phaseId: string): Promise<Phase> {
  const [row] = await db.select().from(phases).where(eq(phases.id, phaseId)).limit(1);
  if (!row) throw new AppError("not_found", "No such phase.");
  return row;
}

export async function getActivePhase(db: Database): Promise<Phase | null> {
  const [row] = await db.select().from(phases).where(eq(phases.status, "active")).limit(1);
  return row ?? null;
}

export async function listAllowedPhones(db: Database, phaseId: string): Promise<string[]> {
  const rows = await db
    .select({ phone: phaseAllowedPhones.phone })
    .from(phaseAllowedPhones)
    .where(eq(phaseAllowedPhones.phaseId, phaseId))
    .orderBy(asc(phaseAllowedPhones.phone));
  return rows.map((r) => r.phone);
}

async function replaceAllowedPhones(tx: Database, phaseId: string, phones: string[]): Promise<void> {
  await tx.delete(phaseAllowedPhones).where(eq(phaseAllowedPhones.phaseId, phaseId));
  const unique = [...new Set(phones)];
  for (let i = 0; i < unique.length; i += 5000) {
    await tx.insert(phaseAllowedPhones).values(unique.slice(i, i + 5000).map((phone) => ({ phaseId, phone })));
  }
}

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
      if (allowedPhones) await replaceAllowedPhones(tx, row!.id, allowedPhones);
      await recordAudit(tx, {
        actor,
        action: "phase.create",
        targetType: "phase",
        targetId: row!.id,
        after: { ...settingsForAudit(row!), allowedPhones: allowedPhones?.length ?? 0 },
      });
      return row!;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("conflict", "A phase with this slug already exists.", { fieldErrors: [{ path: "slug", message: "already taken" }] });
    throw error;
  }
}

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

async function lockPhase(tx: Database, phaseId: string): Promise<Phase> {
  const [row] = await tx.select().from(phases).where(eq(phases.id, phaseId)).for("update").limit(1);
  if (!row) throw new AppError("not_found", "No such phase.");
  return row;
}

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

/**
 * Makes a phase the active one: closes the previous active phase and tops every member's
 * invite balance up to this phase's `memberInviteQuota` (ledger rows), all in one transaction.
 * `actor` null = the scheduler.
 */
export async function activatePhase(db: Database, actor: Actor | null, phaseId: string): Promise<Phase> {
  if (actor) assertCan(actor, "manage_phases");
  try {
    return await db.transaction(async (tx) => {
      // One activation at a time: the previous active phase is read and closed under this lock.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('gatehouse:phase-activation'))`);
      const before = await lockPhase(tx, phaseId);
      if (before.status !== "draft" && before.status !== "scheduled") {
        throw new AppError("invalid_state", `A ${before.status} phase cannot be activated.`);
      }
      const now = new Date();
      const closedPrevious = await tx
        .update(phases)
        .set({ status: "closed", closedAt: now, updatedAt: now })
        .where(eq(phases.status, "active"))
        .returning({ id: phases.id, slug: phases.slug });
      for (const previous of closedPrevious) {
        await recordAudit(tx, { actor, action: "phase.close", targetType: "phase", targetId: previous.id, before: { status: "active" }, after: { status: "closed", reason: `superseded by ${before.slug}` } });
      }
      const [after] = await tx
        .update(phases)
        .set({ status: "active", activatedAt: now, startsAt: before.startsAt && before.startsAt <= now ? before.startsAt : now, updatedAt: now })
        .where(eq(phases.id, phaseId))
        .returning();
      const toppedUp = await topUpMemberQuotas(tx, { quota: after!.memberInviteQuota, actor: actor ? `staff:${actor.staffId}` : "system" });
      await recordAudit(tx, {
        actor,
        action: "phase.activate",
        targetType: "phase",
        targetId: phaseId,
        before: { status: before.status },
        after: { status: "active", closedPrevious: closedPrevious.map((p) => p.slug), membersToppedUp: toppedUp },
      });
      return after!;
    });
  } catch (error) {
    if (isUniqueViolation(error, "phases_single_active_key")) throw new AppError("conflict", "Another phase became active at the same moment; try again.");
    throw error;
  }
}

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

/**
 * The scheduler's job: activates the scheduled phase whose start has come (the latest one if
 * several are due; earlier ones would be superseded at once). Returns the activated phase.
 */
export async function activateDuePhases(db: Database, now = new Date()): Promise<Phase | null> {
  const due = await db
    .select({ id: phases.id })
    .from(phases)
    .where(and(eq(phases.status, "scheduled"), lte(phases.startsAt, now)))
    .orderBy(desc(phases.startsAt))
    .limit(1);
  if (due.length === 0) return null;
  try {
    return await activatePhase(db, null, due[0]!.id);
  } catch (error) {
    // Someone activated or edited it meanwhile: the next tick looks again.
    if (error instanceof AppError && (error.code === "invalid_state" || error.code === "conflict")) return null;
    throw error;
  }
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

export async function phasesById(db: Database, ids: string[]): Promise<Map<string, Phase>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select().from(phases).where(inArray(phases.id, ids));
  return new Map(rows.map((p) => [p.id, p]));
}
