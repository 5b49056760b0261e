// The Overview page's counts (also GET /api/admin/v1/stats), cheap at 10M registrations:
// - waiting: exact, Σ n of the trigger-maintained waitlist_counts (a few thousand rows);
// - registrations and invitations by status: exact `group by` while the table is small, the
//   planner's per-status estimates beyond (flagged `exact: false`, shown with "≈");
// - members: counted while the planner expects ≤ 100k, else estimated;
// - phases: exact (few); the active phase's admitted members: counted up to 100k, else estimated.
import { count, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import {
  invitationStatus,
  members,
  phaseStatus,
  phases,
  registrationStatus,
  waitlistCounts,
  type InvitationStatus,
  type PhaseStatus,
  type RegistrationStatus,
} from "@/db/schema";
import { countByValue, countOrEstimate } from "./estimates";

export interface ActivePhaseSummary {
  id: string;
  slug: string;
  name: string;
  kind: string;
  capacity: number | null;
  dailyAdmissionCap: number | null;
  admitted: number;
  /** False when `admitted` is a planner estimate (more than 100k members in the phase). */
  admittedExact: boolean;
}

export interface OverviewCounts {
  registrations: Record<RegistrationStatus, number>;
  registrationsTotal: number;
  /** False when the per-status registration counts are planner estimates (large table). */
  registrationsExact: boolean;
  /** Waiting registrations from the trigger-maintained waitlist_counts (always exact). */
  waiting: number;
  members: number;
  membersExact: boolean;
  phases: Record<PhaseStatus, number>;
  invitations: Record<InvitationStatus, number>;
  invitationsExact: boolean;
  activePhase: ActivePhaseSummary | null;
}

export async function getOverviewCounts(db: Database): Promise<OverviewCounts> {
  const [registrationCounts, invitationCounts, memberCount, waitingRows, phaseRows, activeRows] = await Promise.all([
    countByValue(db, "registrations", "status", registrationStatus.enumValues),
    countByValue(db, "invitations", "status", invitationStatus.enumValues),
    countOrEstimate(db, sql`select 1 from ${members}`),
    db.select({ n: sql<number>`coalesce(sum(${waitlistCounts.n}), 0)::bigint` }).from(waitlistCounts),
    db.select({ status: phases.status, n: count() }).from(phases).groupBy(phases.status),
    db
      .select({
        id: phases.id,
        slug: phases.slug,
        name: phases.name,
        kind: phases.kind,
        capacity: phases.capacity,
        dailyAdmissionCap: phases.dailyAdmissionCap,
      })
      .from(phases)
      .where(eq(phases.status, "active"))
      .limit(1),
  ]);

  const active = activeRows[0];
  const admitted = active ? await countOrEstimate(db, sql`select 1 from ${members} where ${members.phaseId} = ${active.id}`) : null;
  const waiting = Number(waitingRows[0]?.n ?? 0);
  // The exact waiting count replaces its estimate, so the breakdown agrees with the KPI.
  const byRegistrationStatus = { ...registrationCounts.counts, waiting };
  const byPhaseStatus = Object.fromEntries(phaseStatus.enumValues.map((s) => [s, 0])) as Record<PhaseStatus, number>;
  for (const row of phaseRows) byPhaseStatus[row.status] = row.n;

  return {
    registrations: byRegistrationStatus,
    registrationsTotal: Object.values(byRegistrationStatus).reduce((a, b) => a + b, 0),
    registrationsExact: registrationCounts.exact,
    waiting,
    members: memberCount.value,
    membersExact: memberCount.exact,
    phases: byPhaseStatus,
    invitations: invitationCounts.counts,
    invitationsExact: invitationCounts.exact,
    activePhase: active && admitted ? { ...active, admitted: admitted.value, admittedExact: admitted.exact } : null,
  };
}
