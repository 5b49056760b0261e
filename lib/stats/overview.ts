// The Overview page's counts. Plain `count(*) … group by` for now: exact, and fast enough at
// demo sizes. At 10M registrations a full group-by scans the table (~1 s); issue 6 replaces the
// broad counts with estimates (pg_class / pg_stats, shown as "≈") and keeps exact counts only
// where an index or the waitlist_counts table makes them cheap.
import { count, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import {
  invitationStatus,
  invitations,
  members,
  phaseStatus,
  phases,
  registrationStatus,
  registrations,
  waitlistCounts,
  type InvitationStatus,
  type PhaseStatus,
  type RegistrationStatus,
} from "@/db/schema";

export interface ActivePhaseSummary {
  id: string;
  slug: string;
  name: string;
  kind: string;
  capacity: number | null;
  admitted: number;
}

export interface OverviewCounts {
  registrations: Record<RegistrationStatus, number>;
  registrationsTotal: number;
  /** Waiting registrations from the trigger-maintained waitlist_counts (exact, cheap). */
  waiting: number;
  members: number;
  phases: Record<PhaseStatus, number>;
  invitations: Record<InvitationStatus, number>;
  activePhase: ActivePhaseSummary | null;
}

function zeroed<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

export async function getOverviewCounts(db: Database): Promise<OverviewCounts> {
  const [registrationRows, phaseRows, invitationRows, memberRows, waitingRows, activeRows] = await Promise.all([
    db.select({ status: registrations.status, n: count() }).from(registrations).groupBy(registrations.status),
    db.select({ status: phases.status, n: count() }).from(phases).groupBy(phases.status),
    db.select({ status: invitations.status, n: count() }).from(invitations).groupBy(invitations.status),
    db.select({ n: count() }).from(members),
    db.select({ n: sql<number>`coalesce(sum(${waitlistCounts.n}), 0)::bigint` }).from(waitlistCounts),
    db
      .select({ id: phases.id, slug: phases.slug, name: phases.name, kind: phases.kind, capacity: phases.capacity })
      .from(phases)
      .where(eq(phases.status, "active"))
      .limit(1),
  ]);

  const active = activeRows[0];
  const activePhase = active
    ? { ...active, admitted: (await db.select({ n: count() }).from(members).where(eq(members.phaseId, active.id)))[0]?.n ?? 0 }
    : null;

  const byRegistrationStatus = zeroed(registrationStatus.enumValues);
  for (const row of registrationRows) byRegistrationStatus[row.status] = row.n;
  const byPhaseStatus = zeroed(phaseStatus.enumValues);
  for (const row of phaseRows) byPhaseStatus[row.status] = row.n;
  const byInvitationStatus = zeroed(invitationStatus.enumValues);
  for (const row of invitationRows) byInvitationStatus[row.status] = row.n;

  return {
    registrations: byRegistrationStatus,
    registrationsTotal: Object.values(byRegistrationStatus).reduce((a, b) => a + b, 0),
    waiting: Number(waitingRows[0]?.n ?? 0),
    members: memberRows[0]?.n ?? 0,
    phases: byPhaseStatus,
    invitations: byInvitationStatus,
    activePhase,
  };
}
