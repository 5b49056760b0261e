import { type SQL, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import type { Phase } from "@/db/schema";
import { admissionsSince, capacityUsed, startOfUtcDay } from "./admission-usage";
import { allOf, inList } from "@/lib/sql";

/** Why an admission was refused or a batch truncated. */
export type RoomLimit = "capacity" | "daily_cap";

export interface AdmissionRoom {
  /** How many more people this phase may admit right now (Infinity when unlimited). */
  left: number;
  /** The limit that binds (null when neither does). */
  limitedBy: RoomLimit | null;
}

/**
 * Room left under the phase's `capacity` and `dailyAdmissionCap`, read under a per-phase
 * transaction lock so concurrent admitters (batch chunks, member invites, direct admissions)
 * cannot both take the last places. Phases without limits take no lock, so concurrent batches
 * there run side by side (SKIP LOCKED keeps them apart).
 *
 * Counted against capacity: members admitted in the phase + live invitations (each may
 * become a member). Counted against the daily cap: invitations issued today (UTC) that were
 * not voided + direct admissions today (members without a redeemed invitation).
 */
export async function lockAdmissionRoom(tx: Database, phase: Phase, now = new Date()): Promise<AdmissionRoom> {
  if (phase.capacity === null && phase.dailyAdmissionCap === null) return { left: Infinity, limitedBy: null };
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`gatehouse:admission:${phase.id}`}))`);
  let left = Infinity;
  let limitedBy: RoomLimit | null = null;
  if (phase.capacity !== null) {
    left = Math.max(0, phase.capacity - (await capacityUsed(tx, phase.id)));
    limitedBy = "capacity";
  }
  if (phase.dailyAdmissionCap !== null) {
    const dailyLeft = Math.max(0, phase.dailyAdmissionCap - (await admissionsSince(tx, phase.id, startOfUtcDay(now))));
    if (dailyLeft < left) {
      left = dailyLeft;
      limitedBy = "daily_cap";
    }
  }
  return { left, limitedBy };
}

/**
 * SQL predicate over a registrations row (alias `r`): may this phase admit it? Countries,
 * platforms, and for `internal` phases the employee allow-list. (Review hold is separate:
 * held people are eligible but not admitted until support clears them.)
 */
export function phaseEligibilitySql(phase: Phase): SQL {
  const parts: SQL[] = [];
  if (phase.countries && phase.countries.length > 0) parts.push(sql`r.phone_country in (${inList(phase.countries)})`);
  if (phase.platforms && phase.platforms.length > 0) parts.push(sql`r.platform::text in (${inList(phase.platforms)})`);
  if (phase.kind === "internal") {
    parts.push(sql`exists (select 1 from phase_allowed_phones a where a.phase_id = ${phase.id} and a.phone = r.phone)`);
  }
  return allOf(parts);
}

/** The same rules in code, for one registration already in hand. */
export async function isEligibleForPhase(
  tx: Database,
  phase: Phase,
  registration: { phone: string | null; phoneCountry: string; platform: string },
): Promise<boolean> {
  if (phase.countries && phase.countries.length > 0 && !phase.countries.includes(registration.phoneCountry)) return false;
  if (phase.platforms && phase.platforms.length > 0 && !(phase.platforms as string[]).includes(registration.platform)) return false;
  if (phase.kind === "internal") {
    if (!registration.phone) return false;
    const rows = await tx.execute(sql`select 1 from phase_allowed_phones where phase_id = ${phase.id} and phone = ${registration.phone} limit 1`);
    return rows.length > 0;
  }
  return true;
}

/** A timestamp parameter for raw SQL (the driver does not serialize Date inside drizzle's `sql`). */
export function tsParam(date: Date | string): SQL {
  // Stored batch params come back from jsonb as ISO strings.
  return sql`${new Date(date).toISOString()}::timestamptz`;
}
