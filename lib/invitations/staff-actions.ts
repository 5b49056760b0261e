import { z } from "zod";
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Database } from "@/db/client";
import { invitations, phases, registrations, type Registration } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { AppError, isUniqueViolation } from "@/lib/errors";
import { changeQuota } from "@/lib/members/quota";
import { reactivateRemovedRegistration } from "@/lib/registrations/staff-actions";
import { issueInvitation } from "./issue";

export const revokeInvitationInput = z.object({ reason: z.string().trim().min(3).max(500).optional() }).default({});

async function lockRegistration(tx: Database, registrationId: string): Promise<Registration> {
  const [row] = await tx.select().from(registrations).where(eq(registrations.id, registrationId)).for("update").limit(1);
  if (!row) throw new AppError("not_found", "No such registration.");
  return row;
}

async function liveInvitation(tx: Database, registrationId: string) {
  const [row] = await tx
    .select({ invitation: invitations, phase: phases })
    .from(invitations)
    .innerJoin(phases, eq(phases.id, invitations.phaseId))
    .where(and(eq(invitations.registrationId, registrationId), inArray(invitations.status, ["pending", "sent"])))
    .for("update", { of: invitations })
    .limit(1);
  return row ?? null;
}

/** Sends a new code for the live invitation; the old code stops working at once (support). */
export async function resendInvitation(db: Database, actor: Actor, registrationId: string) {
  assertCan(actor, "manage_registration");
  return db.transaction(async (tx) => {
    const registration = await lockRegistration(tx, registrationId);
    const live = await liveInvitation(tx, registrationId);
    if (!live) throw new AppError("invalid_state", "This registration has no open invitation to resend.");
    if (live.phase.status === "closed") throw new AppError("invalid_state", "The invitation's phase has closed.");
    await tx.update(invitations).set({ status: "revoked" }).where(eq(invitations.id, live.invitation.id));
    const { invitation } = await issueInvitation(tx, {
      registration,
      phase: live.phase,
      source: live.invitation.source,
      batchId: live.invitation.batchId,
      inviterMemberId: live.invitation.inviterMemberId,
    });
    // The member's unit moves with the invitation it paid for.
    await recordAudit(tx, {
      actor,
      action: "invitation.resend",
      targetType: "registration",
      targetId: registrationId,
      before: { invitationId: live.invitation.id, expiresAt: live.invitation.expiresAt },
      after: { invitationId: invitation.id, expiresAt: invitation.expiresAt },
    });
    return invitation;
  });
}

/** Withdraws the live invitation: the person goes back to waiting at their place; a member's unit is refunded. */
export async function revokeInvitation(db: Database, actor: Actor, registrationId: string, reason?: string) {
  assertCan(actor, "manage_registration");
  return db.transaction(async (tx) => {
    const registration = await lockRegistration(tx, registrationId);
    const live = await liveInvitation(tx, registrationId);
    if (!live) throw new AppError("invalid_state", "This registration has no open invitation to revoke.");
    const now = new Date();
    await tx.update(invitations).set({ status: "revoked" }).where(eq(invitations.id, live.invitation.id));
    await tx
      .update(registrations)
      .set({ status: "waiting", queuedAt: registration.queuedAt ?? now, statusChangedAt: now })
      .where(eq(registrations.id, registrationId));
    if (live.invitation.inviterMemberId) {
      await changeQuota(tx, { memberId: live.invitation.inviterMemberId, delta: 1, reason: "invite_refund", actor: `staff:${actor.staffId}`, invitationId: live.invitation.id });
    }
    await recordAudit(tx, {
      actor,
      action: "invitation.revoke",
      targetType: "registration",
      targetId: registrationId,
      before: { status: registration.status, invitationId: live.invitation.id },
      after: { status: "waiting", reason: reason ?? null },
    });
  });
}

/**
 * Puts an `expired` registration back in the queue (staff), where its last phase's
 * `expiredPlacement` says (`original` = its old place, `back` = now). A `removed` one is the
 * registration module's business (reactivateRemovedRegistration); this entry point serves both
 * so the console and the admin API have one "reactivate".
 */
export async function reactivateRegistration(db: Database, actor: Actor, registrationId: string, input: { reason?: string } = {}) {
  assertCan(actor, "manage_registration");
  const [current] = await db.select({ status: registrations.status }).from(registrations).where(eq(registrations.id, registrationId)).limit(1);
  if (current?.status === "removed") {
    await reactivateRemovedRegistration(db, actor, registrationId, input);
    return { status: "waiting" as const };
  }
  return db.transaction(async (tx) => {
    const registration = await lockRegistration(tx, registrationId);
    if (registration.status !== "expired") {
      throw new AppError("invalid_state", `A ${registration.status.replaceAll("_", " ")} registration cannot be reactivated.`);
    }
    if (!registration.phone) throw new AppError("invalid_state", "This registration's personal data was erased; the person must register again.");
    const now = new Date();
    let queuedAt = registration.queuedAt ?? now;
    const [last] = await tx
      .select({ placement: phases.expiredPlacement })
      .from(invitations)
      .innerJoin(phases, eq(phases.id, invitations.phaseId))
      .where(eq(invitations.registrationId, registrationId))
      .orderBy(desc(invitations.createdAt))
      .limit(1);
    if (last?.placement === "back") queuedAt = now;
    try {
      await tx
        .update(registrations)
        .set({ status: "waiting", queuedAt, statusChangedAt: now, statusReason: null })
        .where(eq(registrations.id, registrationId));
    } catch (error) {
      throw mapLivePhoneConflict(error);
    }
    await recordAudit(tx, {
      actor,
      action: "registration.reactivate",
      targetType: "registration",
      targetId: registrationId,
      before: { status: registration.status, queuedAt: registration.queuedAt },
      after: { status: "waiting", queuedAt, reason: input.reason ?? null },
    });
    return { status: "waiting" as const };
  });
}

function mapLivePhoneConflict(error: unknown): unknown {
  if (isUniqueViolation(error, "registrations_live_phone_key")) {
    return new AppError("conflict", "This phone has registered again since; the newer registration holds its place.");
  }
  return error;
}
