import { desc, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { invitations, members, phases, registrations, type Member, type Phase } from "@/db/schema";
import { maskPhone } from "@/lib/auth/roles";
import { randomToken, sha256Hex } from "@/lib/crypto";
import { recordWebhookEvent } from "@/lib/webhooks/record-webhook-event";
import { changeQuota } from "./quota";

const MEMBER_TOKEN_PREFIX = "ghm";

/** What the app shows about the phase a member belongs to. */
export function publicPhase(phase: Phase) {
  return { id: phase.id, slug: phase.slug, name: phase.name, kind: phase.kind };
}

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

/** The member behind a bearer token, or null. */
export async function authenticateMember(db: Database, token: string): Promise<Member | null> {
  if (!token.startsWith(`${MEMBER_TOKEN_PREFIX}_`)) return null;
  const [row] = await db.select().from(members).where(eq(members.tokenHash, sha256Hex(token))).limit(1);
  return row ?? null;
}

/** `GET /api/v1/members/me`: the member, their phase, balance and the invitations they sent. */
export async function getMemberSummary(db: Database, memberId: string) {
  const [row] = await db
    .select({ member: members, phase: phases })
    .from(members)
    .innerJoin(phases, eq(phases.id, members.phaseId))
    .where(eq(members.id, memberId))
    .limit(1);
  if (!row) return null;
  const sent = await db
    .select({
      invitationId: invitations.id,
      phone: registrations.phone,
      status: invitations.status,
      expiresAt: invitations.expiresAt,
      createdAt: invitations.createdAt,
      redeemedAt: invitations.redeemedAt,
    })
    .from(invitations)
    .innerJoin(registrations, eq(registrations.id, invitations.registrationId))
    .where(eq(invitations.inviterMemberId, memberId))
    .orderBy(desc(invitations.createdAt))
    .limit(200);
  return {
    memberId: row.member.id,
    phase: publicPhase(row.phase),
    inviteQuota: row.member.inviteQuota,
    admittedAt: row.member.admittedAt.toISOString(),
    invitations: sent.map((i) => ({
      invitationId: i.invitationId,
      phone: maskPhone(i.phone),
      status: i.status,
      expiresAt: i.expiresAt.toISOString(),
      createdAt: i.createdAt.toISOString(),
      redeemedAt: i.redeemedAt?.toISOString() ?? null,
    })),
  };
}
