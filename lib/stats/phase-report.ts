// One phase's figures for its console page (SPEC §4): admissions per day, use of its capacity and
// daily cap, invitations by status, redemption rate, and its members' invite quotas. Every query
// is bounded by the phase: members (phase_id, admitted_at) and invitations (phase_id, status,
// created_at) index ranges, and the phase's members' ledger rows (quota_ledger_member_id_idx).
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { invitationStatus, quotaReason, type InvitationStatus, type Phase, type QuotaReason } from "@/db/schema";
import { admissionsSince, startOfUtcDay } from "@/lib/phases/admission-usage";
import { DAY_MS } from "./admission-forecast";

export interface AdmissionDay {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  admitted: number;
  /** Members admitted in the phase up to the end of this day. */
  total: number;
}

export interface PhaseQuotaUse {
  members: number;
  /** Invites the phase's members hold now (Σ balances). */
  balance: number;
  /** Members with no invite left. */
  exhausted: number;
  /** Σ ledger deltas of the phase's members by reason (sent and refunds signed as written). */
  ledger: Record<QuotaReason, number>;
}

export interface PhaseReport {
  admitted: number;
  /** One entry per UTC day from the phase's first day (activation or first admission) to today or its close. */
  days: AdmissionDay[];
  invitations: Record<InvitationStatus, number>;
  /** Counted against capacity: members + live invitations. */
  capacityUsed: number;
  /** Counted against the daily cap today (UTC). */
  admittedToday: number;
  /** Redeemed of the invitations that ran their course (redeemed, expired, revoked); null before any did. */
  redemptionRate: number | null;
  quota: PhaseQuotaUse;
}

/** At most this many days are drawn (the newest); the totals still count every day. */
export const REPORT_MAX_DAYS = 180;

const dayKey = (dayNumber: number) => new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);

export async function getPhaseReport(db: Database, phase: Phase, now = new Date()): Promise<PhaseReport> {
  // One pass over the phase's members gives the days, the count and the balances.
  const [perDay, invitationRows, today, ledgerRows] = await Promise.all([
    db.execute<{ day: number; n: number; balance: string; exhausted: number }>(sql`
      select floor(extract(epoch from admitted_at) / 86400)::int as day, count(*)::int as n,
             sum(invite_quota)::bigint as balance, count(*) filter (where invite_quota = 0)::int as exhausted
      from members where phase_id = ${phase.id} group by 1 order by 1`),
    db.execute<{ status: InvitationStatus; n: number }>(sql`
      select status, count(*)::int as n from invitations where phase_id = ${phase.id} group by status`),
    admissionsSince(db, phase.id, startOfUtcDay(now)),
    db.execute<{ reason: QuotaReason; total: string }>(sql`
      select l.reason, sum(l.delta)::bigint as total
      from quota_ledger l join members m on m.id = l.member_id
      where m.phase_id = ${phase.id} group by l.reason`),
  ]);

  const invitations = Object.fromEntries(invitationStatus.enumValues.map((s) => [s, 0])) as Record<InvitationStatus, number>;
  for (const row of invitationRows) invitations[row.status] = row.n;
  const settled = invitations.redeemed + invitations.expired + invitations.revoked;
  const ledger = Object.fromEntries(quotaReason.enumValues.map((r) => [r, 0])) as Record<QuotaReason, number>;
  for (const row of ledgerRows) ledger[row.reason] = Number(row.total);
  const admitted = perDay.reduce((sum, row) => sum + row.n, 0);

  return {
    admitted,
    days: admissionDays(phase, perDay, now),
    invitations,
    // As lib/phases/admission-usage counts it: members + live invitations.
    capacityUsed: admitted + invitations.pending + invitations.sent,
    admittedToday: today,
    redemptionRate: settled === 0 ? null : invitations.redeemed / settled,
    quota: {
      members: admitted,
      balance: perDay.reduce((sum, row) => sum + Number(row.balance), 0),
      exhausted: perDay.reduce((sum, row) => sum + row.exhausted, 0),
      ledger,
    },
  };
}

/** Every day of the phase's life with its admissions and running total, gaps filled with zero. */
function admissionDays(phase: Phase, rows: { day: number; n: number }[], now: Date): AdmissionDay[] {
  const byDay = new Map(rows.map((r) => [r.day, r.n]));
  const dayOf = (date: Date) => Math.floor(date.getTime() / DAY_MS);
  const starts = [phase.activatedAt ? dayOf(phase.activatedAt) : null, rows[0]?.day ?? null].filter((d): d is number => d !== null);
  if (starts.length === 0) return [];
  const first = Math.min(...starts);
  const last = Math.max(dayOf(phase.closedAt ?? now), rows.at(-1)?.day ?? first);
  const from = Math.max(first, last - REPORT_MAX_DAYS + 1);
  let total = rows.filter((r) => r.day < from).reduce((sum, r) => sum + r.n, 0);
  const days: AdmissionDay[] = [];
  for (let day = from; day <= last; day++) {
    const admitted = byDay.get(day) ?? 0;
    total += admitted;
    days.push({ day: dayKey(day), admitted, total });
  }
  return days;
}
