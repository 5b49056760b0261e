import { type SQL, sql } from "drizzle-orm";
import type { Phase } from "@/db/schema";
import { phaseEligibilitySql, tsParam } from "@/lib/phases/admission";
import { allOf, inList } from "@/lib/sql";
import type { BatchFilters } from "./batches.schema";

/** The batch's own filters over a registrations row `r` (admit_next, reactivate). */
export function registrationFilterSql(filters: BatchFilters): SQL {
  const parts: SQL[] = [];
  if (filters.country?.length) parts.push(sql`r.phone_country in (${inList(filters.country)})`);
  if (filters.platform?.length) parts.push(sql`r.platform::text in (${inList(filters.platform)})`);
  if (filters.registeredBefore) parts.push(sql`r.created_at < ${tsParam(filters.registeredBefore)}`);
  return allOf(parts);
}

/**
 * The next `limit` admissible waiting registrations in queue order, locked, skipping rows
 * another batch holds. The ORDER BY matches `registrations_queue_idx` exactly so the planner
 * walks the index from the head and stops after `limit` matches.
 */
export function nextInQueueSql(phase: Phase, filters: BatchFilters, limit: number): SQL {
  return sql`
    select r.id, r.phone, r.locale from registrations r
    where r.status = 'waiting' and r.review = 'clear' and r.phone is not null
      and ${registrationFilterSql(filters)} and ${phaseEligibilitySql(phase)}
    order by r.priority desc, r.queued_at, r.id
    limit ${limit}
    for update of r skip locked`;
}

/** `expired` registrations to re-invite (reactivate batches), oldest place first. */
export function expiredToReactivateSql(phase: Phase, filters: BatchFilters, limit: number): SQL {
  const expiredBefore = filters.expiredBefore
    ? sql`and exists (select 1 from invitations x where x.registration_id = r.id and x.status = 'expired' and x.expires_at < ${tsParam(filters.expiredBefore)})`
    : sql``;
  return sql`
    select r.id, r.phone, r.locale from registrations r
    where r.status = 'expired' and r.review = 'clear' and r.phone is not null
      and ${registrationFilterSql(filters)} and ${phaseEligibilitySql(phase)} ${expiredBefore}
    order by r.queued_at, r.id
    limit ${limit}
    for update of r skip locked`;
}

/** Explicit targets (ids and E.164 phones) that are waiting and admissible. */
export function targetedSql(phase: Phase, ids: string[], phones: string[], limit: number): SQL {
  return sql`
    select r.id, r.phone, r.locale from registrations r
    where (r.id = any(string_to_array(${ids.join(",")}, ',')::uuid[])
           or (r.phone = any(string_to_array(${phones.join(",")}, ',')) and r.status not in ('lapsed', 'removed')))
      and r.status = 'waiting' and r.review = 'clear' and ${phaseEligibilitySql(phase)}
    limit ${limit}
    for update of r skip locked`;
}

/**
 * Members a member_quota batch grants to: filter, admitted before the batch, not yet granted
 * by it (so a chunk retried after a crash never grants twice). No SKIP LOCKED here: a member
 * busy spending an invite is waited for, not skipped and forgotten.
 */
export function membersToGrantSql(filters: BatchFilters, batchId: string, createdAt: Date, limit: number): SQL {
  return sql`
    select m.id from members m
    where m.admitted_at <= ${tsParam(createdAt)} and ${memberFilterSql(filters)}
      and not exists (select 1 from quota_ledger l where l.member_id = m.id and l.batch_id = ${batchId})
    order by m.id
    limit ${limit}
    for update of m`;
}

export function memberFilterSql(filters: BatchFilters): SQL {
  const parts: SQL[] = [];
  if (filters.phaseId) parts.push(sql`m.phase_id = ${filters.phaseId}`);
  if (filters.admittedBefore) parts.push(sql`m.admitted_at < ${tsParam(filters.admittedBefore)}`);
  return allOf(parts);
}
