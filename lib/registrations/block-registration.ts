import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { blockedPhones, invitations } from "@/db/schema";
import type { Actor } from "@/lib/auth/roles";
import { changeQuota } from "@/lib/members/quota";
import { actOnRegistration, staffReason } from "./act-on-registration";
import { maskPhonesInText } from "@/lib/auth/mask-input";

export const blockRegistrationInput = z.object({ reason: staffReason });
export type BlockRegistrationInput = z.input<typeof blockRegistrationInput>;

/**
 * Any status but admitted → blocked; the phone's salted hash joins the block list, so it can
 * never register again. A live invitation is revoked with it, and a member who sent it gets the
 * unit back (as revoke and expiry refund it: the member did nothing wrong).
 */
export async function blockRegistration(db: Database, actor: Actor, registrationId: string, input: BlockRegistrationInput) {
  const { reason } = blockRegistrationInput.parse(input);
  return actOnRegistration(db, actor, {
    permission: "manage_registration",
    registrationId,
    action: "registration.block",
    allowed: ["pending_verification", "waiting", "invited", "expired", "lapsed", "removed"],
    change: async (tx, current) => {
      await tx
        .insert(blockedPhones)
        // The block list outlives the registration's erasure: a number quoted in the reason is masked.
        .values({ phoneHash: current.phoneHash, reason: maskPhonesInText(reason), registrationId: current.id, createdBy: actor.staffId })
        .onConflictDoNothing();
      const revoked = await tx
        .update(invitations)
        .set({ status: "revoked" })
        .where(and(eq(invitations.registrationId, current.id), inArray(invitations.status, ["pending", "sent"])))
        .returning({ id: invitations.id, inviterMemberId: invitations.inviterMemberId });
      for (const invitation of revoked) {
        if (!invitation.inviterMemberId) continue;
        await changeQuota(tx, { memberId: invitation.inviterMemberId, delta: 1, reason: "invite_refund", actor: `staff:${actor.staffId}`, invitationId: invitation.id });
      }
      return { status: "blocked", statusReason: reason, statusChangedAt: new Date(), verificationCodeHash: null };
    },
  });
}
