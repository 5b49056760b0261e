import { eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { invitations, phases, registrations } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { createMember } from "@/lib/members/create-member";
import { publicPhase } from "@/lib/members/get-member-summary";
import { parseInput } from "@/lib/phases/validate";
import { normalizePhone } from "@/lib/phone/normalize-phone";
import { hashInvitationCode, legacyInvitationCodeHash, normalizeInvitationCode } from "./code";

export const redeemInvitationInput = z.object({
  code: z.string().trim().min(1).max(40),
  phone: z.string().trim().min(3).max(40),
});
export type RedeemInvitationInput = z.input<typeof redeemInvitationInput>;

const NO_MATCH = "No invitation matches this code and phone number.";

/**
 * Is `typed` the same number as the stored E.164 `phone`? International input is compared
 * digit for digit (no validity rules: the number already received the code); national input
 * is read with the invitee's country.
 */
function samePhone(typed: string, phone: string, country: string): boolean {
  const compact = typed.replace(/[\s().-]/g, "").replace(/^00(?=[1-9])/, "+");
  if (compact.startsWith("+")) return compact === phone;
  const result = normalizePhone(typed, country);
  return result.ok && result.phone.e164 === phone;
}

/**
 * Redeems an invitation (SPEC §3.4): the code AND the phone it was issued to, once. The
 * invitation row is locked, so of many concurrent attempts exactly one creates the member;
 * the rest see it redeemed. Holding the code sent by SMS to that phone proves the phone, so
 * the registration counts as verified. A wrong code and a right code with the wrong phone
 * answer the same, so a code cannot be probed for its owner.
 */
export async function redeemInvitation(db: Database, input: RedeemInvitationInput, now = new Date()) {
  const parsed = parseInput(redeemInvitationInput, input);
  const code = normalizeInvitationCode(parsed.code);
  if (!code) throw new AppError("not_found", NO_MATCH);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ invitation: invitations, registration: registrations, phase: phases })
      .from(invitations)
      .innerJoin(registrations, eq(registrations.id, invitations.registrationId))
      .innerJoin(phases, eq(phases.id, invitations.phaseId))
      .where(inArray(invitations.codeHash, [hashInvitationCode(code), legacyInvitationCodeHash(code)]))
      .for("update", { of: [invitations, registrations] })
      .limit(1);
    if (!row || !row.registration.phone || !samePhone(parsed.phone, row.registration.phone, row.registration.phoneCountry)) {
      throw new AppError("not_found", NO_MATCH);
    }
    const { invitation, registration, phase } = row;
    if (invitation.status === "redeemed") throw new AppError("invalid_state", "This invitation has already been used.");
    if (invitation.status === "revoked") throw new AppError("invalid_state", "This invitation was withdrawn or replaced by a newer one.");
    if (invitation.status === "expired" || invitation.expiresAt <= now) throw new AppError("invalid_state", "This invitation has expired.");
    if (phase.status === "closed") throw new AppError("invalid_state", "The phase this invitation belongs to has closed.");

    await tx.update(invitations).set({ status: "redeemed", redeemedAt: now }).where(eq(invitations.id, invitation.id));
    await tx
      .update(registrations)
      .set({ status: "admitted", statusChangedAt: now, verifiedAt: registration.verifiedAt ?? now })
      .where(eq(registrations.id, registration.id));
    const { member, memberToken } = await createMember(tx, { registrationId: registration.id, phase, now });
    return { memberId: member.id, memberToken, phase: publicPhase(phase), inviteQuota: member.inviteQuota };
  });
}
