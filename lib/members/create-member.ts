import type { Database } from "@/db/client";
import { members, type Member, type Phase } from "@/db/schema";
import { randomToken, sha256Hex } from "@/lib/crypto";
import { recordWebhookEvent } from "@/lib/webhooks/record-webhook-event";
import { changeQuota } from "./quota";

/** Member tokens start "ghm_", so a token of another kind is refused without a lookup. */
export const MEMBER_TOKEN_PREFIX = "ghm";

/**
 * Makes an admitted registration a member of `phase` with the phase's invite quota (as a
 * ledger row) and a fresh bearer token (256 bits, stored hashed; returned once), and announces
 * it (`member.admitted`). The caller has locked the registration and sets its status.
 */
export async function createMember(
  tx: Database,
  options: { registrationId: string; phase: Phase; now?: Date },
): Promise<{ member: Member; memberToken: string }> {
  const memberToken = randomToken(MEMBER_TOKEN_PREFIX);
  const [member] = await tx
    .insert(members)
    .values({ registrationId: options.registrationId, phaseId: options.phase.id, tokenHash: sha256Hex(memberToken), admittedAt: options.now ?? new Date() })
    .returning();
  await recordWebhookEvent(
    tx,
    "member.admitted",
    { memberId: member!.id, registrationId: options.registrationId, phaseSlug: options.phase.slug },
    { occurredAt: member!.admittedAt },
  );
  if (options.phase.memberInviteQuota > 0) {
    const balance = await changeQuota(tx, { memberId: member!.id, delta: options.phase.memberInviteQuota, reason: "phase_topup", actor: "system" });
    member!.inviteQuota = balance!;
  }
  return { member: member!, memberToken };
}
