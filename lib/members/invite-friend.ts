import { and, eq, notInArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { members, registrations, type Registration } from "@/db/schema";
import { AppError, isUniqueViolation } from "@/lib/errors";
import { generateInvitationCode } from "@/lib/invitations/code";
import { issueInvitation } from "@/lib/invitations/issue";
import { isEligibleForPhase, lockAdmissionRoom } from "@/lib/phases/admission";
import { getActivePhase } from "@/lib/phases/get-phase";
import { parseInput } from "@/lib/phases/validate";
import { type NormalizedPhone, requireMobilePhone } from "@/lib/phone/normalize-phone";
import { loadPhoneHashSalt, phoneHash } from "@/lib/phone-hash";
import { country } from "@/lib/validation/fields";
import { changeQuota } from "./quota";

export const inviteFriendInput = z.object({
  phone: z.string().trim().min(3).max(40),
  /** ISO 3166 alpha-2, to read a national number ("06 12 34 56 78"). */
  country: country().optional(),
});
export type InviteFriendInput = z.input<typeof inviteFriendInput>;

/** Statuses a member's invite can lift into `invited`. */
const INVITABLE: ReadonlySet<Registration["status"]> = new Set(["pending_verification", "waiting", "expired"]);

/**
 * A member invites a friend by phone (SPEC §3.4): an unknown phone gets a registration created
 * directly as `invited` (it proves the phone at redemption, the code arrives by SMS); a
 * waiting (or unverified, or expired) one is lifted to `invited`. Consumes one quota unit —
 * the balance row is locked first, so concurrent invites never overspend.
 */
export async function inviteFriend(
  db: Database,
  memberId: string,
  input: InviteFriendInput,
): Promise<{ invitationId: string; expiresAt: Date; inviteQuota: number; code: string }> {
  const parsed = parseInput(inviteFriendInput, input);
  const phone = requireMobilePhone(parsed.phone, parsed.country);
  const salt = await loadPhoneHashSalt(db);
  try {
    return await inviteInTransaction(db, memberId, phone, salt);
  } catch (error) {
    // Two members inviting the same unknown phone at once: the second finds it taken.
    if (isUniqueViolation(error, "registrations_live_phone_key")) {
      throw new AppError("conflict", "This phone already has an invitation.", { fieldErrors: [{ path: "phone", message: "already has an invitation" }] });
    }
    throw error;
  }
}

async function inviteInTransaction(db: Database, memberId: string, phone: NormalizedPhone, salt: string) {
  return db.transaction(async (tx) => {
    const [inviter] = await tx
      .select({ member: members, registration: registrations })
      .from(members)
      .innerJoin(registrations, eq(registrations.id, members.registrationId))
      .where(eq(members.id, memberId))
      .for("update", { of: members })
      .limit(1);
    if (!inviter) throw new AppError("unauthenticated", "Unknown member.");
    if (inviter.member.inviteQuota <= 0) throw new AppError("quota_exhausted", "You have no invitations left.");
    const phase = await getActivePhase(tx);
    if (!phase) throw new AppError("invalid_state", "The beta is not admitting anyone right now.");

    let [friend] = await tx
      .select()
      .from(registrations)
      .where(and(eq(registrations.phone, phone.e164), notInArray(registrations.status, ["lapsed", "removed"])))
      .for("update")
      .limit(1);
    if (friend && !INVITABLE.has(friend.status)) {
      const why = friend.status === "invited" ? "already has an invitation" : friend.status === "admitted" ? "is already a member" : "cannot be invited";
      throw new AppError("conflict", `This phone ${why}.`, { fieldErrors: [{ path: "phone", message: why }] });
    }
    const blocked = await tx.execute(sql`select 1 from blocked_phones where phone_hash = ${phoneHash(salt, phone.e164)} limit 1`);
    if (blocked.length > 0) throw new AppError("conflict", "This phone cannot be invited.", { fieldErrors: [{ path: "phone", message: "cannot be invited" }] });

    const candidate = friend ?? { phone: phone.e164, phoneCountry: phone.country, platform: inviter.registration.platform };
    if (!(await isEligibleForPhase(tx, phase, candidate))) {
      throw new AppError("conflict", `This phone is not eligible for ${phase.name}.`, { fieldErrors: [{ path: "phone", message: "not eligible for the current phase" }] });
    }
    const room = await lockAdmissionRoom(tx, phase);
    if (room.left <= 0) {
      throw new AppError("conflict", room.limitedBy === "daily_cap" ? "Today's admissions are full; try again tomorrow." : "The beta is full.");
    }

    if (!friend) {
      // Unknown phone: its place starts as an invitation; platform and locale follow the inviter's
      // until the friend's app reports its own.
      [friend] = await tx
        .insert(registrations)
        .values({
          phone: phone.e164,
          phoneHash: phoneHash(salt, phone.e164),
          phoneCountry: phone.country,
          platform: inviter.registration.platform,
          locale: inviter.registration.locale,
          status: "invited",
          referralCode: generateInvitationCode().slice(0, 10),
          referredBy: inviter.registration.id,
        })
        .returning();
    }
    const { invitation, code } = await issueInvitation(tx, { registration: friend!, phase, source: "member", inviterMemberId: memberId });
    const balance = await changeQuota(tx, { memberId, delta: -1, reason: "invite_sent", actor: `member:${memberId}`, invitationId: invitation.id });
    if (balance === null) throw new AppError("quota_exhausted", "You have no invitations left.");
    return { invitationId: invitation.id, expiresAt: invitation.expiresAt, inviteQuota: balance, code };
  });
}
