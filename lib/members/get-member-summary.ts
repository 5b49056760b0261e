import { desc, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { invitations, members, phases, registrations, type Phase } from "@/db/schema";
import { maskPhone } from "@/lib/auth/roles";

/** What the app shows about the phase a member belongs to. */
export function publicPhase(phase: Phase) {
  return { id: phase.id, slug: phase.slug, name: phase.name, kind: phase.kind };
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
