import { z } from "zod";
import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { invitations, registrations } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { changeQuota } from "@/lib/members/quota";
import { lockRegistration } from "@/lib/registrations/act-on-registration";
import { liveInvitation } from "./live-invitation";

export const revokeInvitationInput = z.object({ reason: z.string().trim().min(3).max(500).optional() }).default({});

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
