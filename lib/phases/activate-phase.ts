import { and, desc, eq, lte, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { phases, type Phase } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { AppError, isUniqueViolation } from "@/lib/errors";
import { topUpMemberQuotas } from "@/lib/members/quota";
import { recordWebhookEvent } from "@/lib/webhooks/record-webhook-event";
import { lockPhase } from "./get-phase";

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
      await recordWebhookEvent(tx, "phase.activated", { phaseId, slug: after!.slug }, { occurredAt: now });
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
