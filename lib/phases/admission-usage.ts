// What a phase has used of its limits (SPEC §3.3), read the same way by the admitters (under
// their lock, lib/phases/admission.ts), the phase page and the forecast. Each count walks one
// index range: members (phase_id, admitted_at) and invitations (phase_id, status, created_at).
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";

/**
 * Invitations issued, as the daily cap counts them: every status but `revoked` (a revoked
 * invitation gave its place back). Spelled out so the index range on status is used.
 */
const ISSUED = sql`status in ('pending', 'sent', 'redeemed', 'expired')`;

export function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/** Counted against capacity: members admitted in the phase + live invitations (each may become one). */
export async function capacityUsed(db: Database, phaseId: string): Promise<number> {
  const [row] = await db.execute<{ used: number }>(sql`
    select (select count(*) from members where phase_id = ${phaseId})
         + (select count(*) from invitations where phase_id = ${phaseId} and status in ('pending', 'sent')) as used`);
  return Number(row?.used ?? 0);
}

/**
 * Counted against the daily cap from `since` on: invitations issued (not revoked) + direct
 * admissions (members without a redeemed invitation of the phase, i.e. an open phase admitting
 * at verification).
 */
export async function admissionsSince(db: Database, phaseId: string, since: Date): Promise<number> {
  const at = sql`${since.toISOString()}::timestamptz`;
  const [row] = await db.execute<{ used: number }>(sql`
    select (select count(*) from invitations
             where phase_id = ${phaseId} and ${ISSUED} and created_at >= ${at})
         + (select count(*) from members m
             where m.phase_id = ${phaseId} and m.admitted_at >= ${at}
               and not exists (select 1 from invitations i
                                where i.registration_id = m.registration_id and i.phase_id = ${phaseId} and i.status = 'redeemed')) as used`);
  return Number(row?.used ?? 0);
}

/** Invitations issued in the phase (not revoked) from `since` on: places served from the queue. */
export async function invitationsIssuedSince(db: Database, phaseId: string, since: Date): Promise<number> {
  const [row] = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from invitations
    where phase_id = ${phaseId} and ${ISSUED} and created_at >= ${since.toISOString()}::timestamptz`);
  return Number(row?.n ?? 0);
}
