// Per-phase figures for the Phases page: admitted members (members_phase_id_admitted_at_idx) and
// invitations by status (invitations_phase_id_status_created_at_idx). Phases are few; each count
// walks one index.
import { count, inArray } from "drizzle-orm";
import type { Database } from "@/db/client";
import { invitations, members, type InvitationStatus } from "@/db/schema";

export interface PhaseStats {
  admitted: number;
  invitations: Partial<Record<InvitationStatus, number>>;
}

export async function getPhaseStats(db: Database, phaseIds: string[]): Promise<Map<string, PhaseStats>> {
  const stats = new Map<string, PhaseStats>(phaseIds.map((id) => [id, { admitted: 0, invitations: {} }]));
  if (phaseIds.length === 0) return stats;
  const [memberRows, invitationRows] = await Promise.all([
    db.select({ phaseId: members.phaseId, n: count() }).from(members).where(inArray(members.phaseId, phaseIds)).groupBy(members.phaseId),
    db
      .select({ phaseId: invitations.phaseId, status: invitations.status, n: count() })
      .from(invitations)
      .where(inArray(invitations.phaseId, phaseIds))
      .groupBy(invitations.phaseId, invitations.status),
  ]);
  for (const row of memberRows) stats.get(row.phaseId)!.admitted = row.n;
  for (const row of invitationRows) stats.get(row.phaseId)!.invitations[row.status] = row.n;
  return stats;
}
