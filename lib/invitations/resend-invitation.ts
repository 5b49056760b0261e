import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { invitations } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { issueInvitation } from "./issue";
import { lockRegistration } from "@/lib/registrations/act-on-registration";
import { liveInvitation } from "./live-invitation";

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
