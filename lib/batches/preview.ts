import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import type { BatchKind, Phase } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { lockAdmissionRoom, phaseEligibilitySql, type RoomLimit, tsParam } from "@/lib/phases/admission";
import type { BatchFilters, ParsedBatchInput } from "./batches.schema";
import { memberFilterSql, registrationFilterSql } from "./selection";
import { resolveTargets } from "./targets";

export interface BatchExclusions {
  capacity: number;
  daily_cap: number;
  hold: number;
  ineligible: number;
  /** targeted: not found, not waiting, named twice, unreadable phone. */
  not_found: number;
  not_waiting: number;
  duplicate: number;
  invalid: number;
}

/** What a batch would do now (dry run): the numbers staff confirm. */
export interface BatchPreview {
  kind: BatchKind;
  phase: { id: string; name: string; kind: string } | null;
  requested: number;
  /** How many would be invited (or, for member_quota, granted). */
  selected: number;
  /** member_quota: invites that would be added in total. */
  units: number | null;
  /** 1-based queue positions of the first and last selected (admit_next). */
  firstPosition: number | null;
  lastPosition: number | null;
  excluded: BatchExclusions;
  /** Why fewer than requested would be selected. */
  truncatedReason: string | null;
}

const noExclusions = (): BatchExclusions => ({ capacity: 0, daily_cap: 0, hold: 0, ineligible: 0, not_found: 0, not_waiting: 0, duplicate: 0, invalid: 0 });

export function describeLimit(limit: RoomLimit | null, room: number): string {
  if (limit === "daily_cap") return `daily admission cap reached (${room} left today)`;
  return `phase capacity reached (${room} places left)`;
}

/** Applies the phase's room to a count that could be selected. */
function applyRoom(selectable: number, room: { left: number; limitedBy: RoomLimit | null }, excluded: BatchExclusions) {
  if (selectable <= room.left || room.limitedBy === null) return selectable;
  excluded[room.limitedBy] += selectable - room.left;
  return room.left;
}

/** The phase a batch that invites people invites into: the active one, or a refusal. */
export function requireActivePhase(active: Phase | null): Phase {
  if (!active) throw new AppError("invalid_state", "No phase is active: activate a phase before inviting anyone.");
  return active;
}

export async function previewBatch(db: Database, input: ParsedBatchInput, phase: Phase | null): Promise<BatchPreview> {
  if (input.kind === "member_quota") return previewMemberQuota(db, input.filters, input.amount);
  const into = requireActivePhase(phase);
  switch (input.kind) {
    case "admit_next":
      return previewAdmitNext(db, into, input.filters, input.size);
    case "targeted":
      return previewTargeted(db, into, input.phones);
    case "reactivate":
      return previewReactivate(db, into, input.filters, input.size ?? null);
  }
}

/** The one row an aggregate query returns. */
function only<T>(rows: T[]): T {
  const [row] = rows;
  if (!row) throw new Error("an aggregate query returned no row");
  return row;
}

function phaseSummary(phase: Phase) {
  return { id: phase.id, name: phase.name, kind: phase.kind };
}

/**
 * Walks the queue from its head (index order) far enough to find `size` admissible people,
 * counting those passed over (held, ineligible) on the way, and reads the positions of the
 * first and last selected. The scan window doubles until it holds `size` or the whole queue.
 */
async function previewAdmitNext(db: Database, phase: Phase, filters: BatchFilters, size: number): Promise<BatchPreview> {
  return db.transaction(async (tx) => {
    const room = await lockAdmissionRoom(tx, phase);
    const take = Math.min(size, room.left);
    let scan = Math.ceil(size * 1.2) + 1000;
    for (;;) {
      const row = only(await tx.execute<{ ok: number; hold: number; ineligible: number; first: number | null; last: number | null; scanned: number }>(sql`
        with scan as (
          select r.review = 'clear' as clear,
                 coalesce(${phaseEligibilitySql(phase)}, false) as eligible,
                 coalesce(${registrationFilterSql(filters)}, false) as matches,
                 row_number() over (order by r.priority desc, r.queued_at, r.id) as position
          from (select r.* from registrations r where r.status = 'waiting'
                order by r.priority desc, r.queued_at, r.id limit ${scan}) r
        ), marked as (
          select *, count(*) filter (where clear and eligible and matches)
                      over (order by position rows between unbounded preceding and current row) as k
          from scan
        )
        select count(*) filter (where clear and eligible and matches and k <= ${size})::int as ok,
               count(*) filter (where matches and not clear and k < ${size})::int as hold,
               count(*) filter (where matches and clear and not eligible and k < ${size})::int as ineligible,
               min(position) filter (where clear and eligible and matches)::int as first,
               max(position) filter (where clear and eligible and matches and k <= ${take})::int as last,
               count(*)::int as scanned
        from marked`));
      if (row.ok < size && row.scanned >= scan) {
        scan *= 2;
        continue;
      }
      const excluded = { ...noExclusions(), hold: row.hold, ineligible: row.ineligible };
      const selected = applyRoom(row.ok, room, excluded);
      return {
        kind: "admit_next" as const,
        phase: phaseSummary(phase),
        requested: size,
        selected,
        units: null,
        firstPosition: selected > 0 ? row.first : null,
        lastPosition: selected > 0 ? row.last : null,
        excluded,
        truncatedReason: truncation(size, row.ok, selected, room),
      };
    }
  });
}

function truncation(requested: number, selectable: number, selected: number, room: { left: number; limitedBy: RoomLimit | null }): string | null {
  if (selected < selectable) return describeLimit(room.limitedBy, room.left);
  if (selectable < requested) return `only ${selectable} admissible registrations match`;
  return null;
}

async function previewTargeted(db: Database, phase: Phase, inputs: string[]): Promise<BatchPreview> {
  const { targets, invalid } = resolveTargets(inputs);
  const keys = targets.map((t) => t.registrationId ?? t.phone);
  return db.transaction(async (tx) => {
    const room = await lockAdmissionRoom(tx, phase);
    // One lookup per target, in list order (as the runner does); a person named twice (by id
    // and by phone) counts once, the later entry as a duplicate.
    const row = only(await tx.execute<{ ok: number; hold: number; ineligible: number; not_waiting: number; not_found: number; duplicate: number }>(sql`
      with wanted as (
        select k.key, k.ord from unnest(string_to_array(${keys.join(",")}, ',')) with ordinality as k(key, ord)
      ), found as (
        select w.ord, r.id, r.status, r.review, coalesce(r.eligible, false) as eligible,
               row_number() over (partition by r.id order by w.ord) as nth
        from wanted w
        left join lateral (
          select r.id, r.status, r.review, ${phaseEligibilitySql(phase)} as eligible from registrations r
          where r.id = case when w.key like '+%' then null else w.key::uuid end
             or (w.key like '+%' and r.phone = w.key and r.status not in ('lapsed', 'removed'))
          limit 1
        ) r on true
      )
      select count(*) filter (where id is not null and nth = 1 and status = 'waiting' and review = 'clear' and eligible)::int as ok,
             count(*) filter (where id is not null and nth = 1 and status = 'waiting' and review = 'hold')::int as hold,
             count(*) filter (where id is not null and nth = 1 and status = 'waiting' and review = 'clear' and not eligible)::int as ineligible,
             count(*) filter (where id is not null and nth = 1 and status <> 'waiting')::int as not_waiting,
             count(*) filter (where id is null)::int as not_found,
             count(*) filter (where id is not null and nth > 1)::int as duplicate
      from found`));
    const excluded: BatchExclusions = {
      ...noExclusions(),
      hold: row.hold,
      ineligible: row.ineligible,
      not_waiting: row.not_waiting,
      not_found: row.not_found,
      duplicate: row.duplicate,
      invalid: invalid.length,
    };
    const selected = applyRoom(row.ok, room, excluded);
    return {
      kind: "targeted" as const,
      phase: phaseSummary(phase),
      requested: inputs.length,
      selected,
      units: null,
      firstPosition: null,
      lastPosition: null,
      excluded,
      truncatedReason: selected < row.ok ? describeLimit(room.limitedBy, room.left) : null,
    };
  });
}

async function previewReactivate(db: Database, phase: Phase, filters: BatchFilters, size: number | null): Promise<BatchPreview> {
  const expiredBefore = filters.expiredBefore
    ? sql`and exists (select 1 from invitations x where x.registration_id = r.id and x.status = 'expired' and x.expires_at < ${tsParam(filters.expiredBefore)})`
    : sql``;
  return db.transaction(async (tx) => {
    const room = await lockAdmissionRoom(tx, phase);
    const row = only(await tx.execute<{ ok: number; hold: number; ineligible: number }>(sql`
      select count(*) filter (where r.review = 'clear' and coalesce(${phaseEligibilitySql(phase)}, false))::int as ok,
             count(*) filter (where r.review = 'hold')::int as hold,
             count(*) filter (where r.review = 'clear' and not coalesce(${phaseEligibilitySql(phase)}, false))::int as ineligible
      from registrations r
      where r.status = 'expired' and r.phone is not null and ${registrationFilterSql(filters)} ${expiredBefore}`));
    const requested = size ?? row.ok;
    const selectable = Math.min(requested, row.ok);
    const excluded = { ...noExclusions(), hold: row.hold, ineligible: row.ineligible };
    const selected = applyRoom(selectable, room, excluded);
    return {
      kind: "reactivate" as const,
      phase: phaseSummary(phase),
      requested,
      selected,
      units: null,
      firstPosition: null,
      lastPosition: null,
      excluded,
      truncatedReason: truncation(requested, selectable, selected, room),
    };
  });
}

async function previewMemberQuota(db: Database, filters: BatchFilters, amount: number): Promise<BatchPreview> {
  const row = only(await db.execute<{ n: number }>(sql`select count(*)::int as n from members m where ${memberFilterSql(filters)}`));
  return {
    kind: "member_quota",
    phase: null,
    requested: row.n,
    selected: row.n,
    units: row.n * amount,
    firstPosition: null,
    lastPosition: null,
    excluded: noExclusions(),
    truncatedReason: null,
  };
}
