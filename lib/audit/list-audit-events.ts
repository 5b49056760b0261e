// The audit log as a keyset-paginated list: newest (or oldest) first on (created_at, id), never
// OFFSET. Filters use the table's indexes: actor → (actor_id, created_at), action →
// (action, created_at), target → (target_type, target_id).
import { and, asc, desc, eq, isNull, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { auditEvents, type AuditEvent } from "@/db/schema";
import { type Actor, assertCan, can } from "@/lib/auth/roles";
import { maskPhones } from "./record-audit";
import { iteratePages, type KeysetPage, readDirection, toKeysetPage } from "@/lib/keyset";
import { countCapped, type ListCount } from "@/lib/list-count";
import { findStaffByEmail } from "@/lib/staff/find-staff";

export const auditListInput = z.object({
  /** A staff e-mail (exact, any case) or "system". */
  actor: z.string().trim().max(254).optional(),
  /** Exact action, e.g. "phase.activate". */
  action: z.string().trim().max(100).optional(),
  targetType: z.string().trim().max(50).optional(),
  targetId: z.string().trim().max(100).optional(),
  dir: z.enum(["desc", "asc"]).default("desc"),
  /** Id of the last row of the previous page (`after`) or the first row of the next one (`before`). */
  after: z.coerce.number().int().positive().optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
});
export type AuditListInput = z.input<typeof auditListInput>;

export type AuditListPage = KeysetPage<AuditEvent, number>;

/**
 * `(created_at, id)` strictly beyond the cursor row in the direction `dir`. Written as
 * `created_at <= x and (created_at < x or id < y)` so that the single-column created_at index
 * can start the scan at the cursor (a row comparison would need a two-column index).
 */
function beyond(cursorId: number, direction: "desc" | "asc"): SQL {
  const cursor = sql`(select created_at from audit_events where id = ${cursorId})`;
  return direction === "desc"
    ? sql`(${auditEvents.createdAt} <= ${cursor} and (${auditEvents.createdAt} < ${cursor} or ${auditEvents.id} < ${cursorId}))`
    : sql`(${auditEvents.createdAt} >= ${cursor} and (${auditEvents.createdAt} > ${cursor} or ${auditEvents.id} > ${cursorId}))`;
}

async function filterConditions(db: Database, input: z.output<typeof auditListInput>): Promise<SQL[] | null> {
  const conditions: SQL[] = [];
  if (input.actor) {
    if (input.actor.toLowerCase() === "system") {
      conditions.push(isNull(auditEvents.actorId));
    } else {
      const staff = await findStaffByEmail(db, input.actor);
      // Unknown staff: nothing to show (and no full scan on the label to find out).
      if (!staff) return null;
      conditions.push(eq(auditEvents.actorId, staff.id));
    }
  }
  if (input.action) conditions.push(eq(auditEvents.action, input.action));
  if (input.targetType) conditions.push(eq(auditEvents.targetType, input.targetType));
  if (input.targetId) conditions.push(eq(auditEvents.targetId, input.targetId));
  return conditions;
}

export async function listAuditEvents(db: Database, actor: Actor, rawInput: AuditListInput): Promise<AuditListPage> {
  assertCan(actor, "view");
  const input = auditListInput.parse(rawInput);
  const filters = await filterConditions(db, input);
  if (!filters) return { rows: [], nextCursor: null, previousCursor: null };

  // Paging backwards reads in the opposite order from the `before` cursor, then flips the rows.
  const backwards = input.before !== undefined;
  const direction = readDirection(input.dir, backwards);
  const cursor = input.before ?? input.after;
  const conditions = cursor !== undefined ? [...filters, beyond(cursor, direction)] : filters;
  const order = direction === "desc" ? [desc(auditEvents.createdAt), desc(auditEvents.id)] : [asc(auditEvents.createdAt), asc(auditEvents.id)];

  const fetched = await db
    .select()
    .from(auditEvents)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(...order)
    .limit(input.limit + 1);
  // Rows are written masked; rows written before numbers inside text were masked are masked as
  // they are read, for roles without full-phone access.
  const shown = can(actor.role, "view_full_phone") ? fetched : fetched.map((e) => ({ ...e, before: maskPhones(e.before), after: maskPhones(e.after) }));
  return toKeysetPage(shown, { limit: input.limit, backwards, fromCursor: cursor !== undefined });
}

/**
 * Every event matching the filters, in list order, read in keyset pages of `pageSize` (for the
 * CSV export: memory stays at one page whatever the total).
 */
export function iterateAuditEvents(
  db: Database,
  actor: Actor,
  rawInput: Omit<AuditListInput, "after" | "before" | "limit">,
  pageSize = 1_000,
): AsyncGenerator<AuditEvent[]> {
  return iteratePages((after: number | undefined) => listAuditEvents(db, actor, { ...rawInput, after, before: undefined, limit: pageSize }));
}

export type AuditCount = ListCount;

/**
 * How many events match, as cheaply as is honest: a filtered count stops at 10,000 ("10,000+");
 * the unfiltered total comes from the planner's estimate once the table is large ("≈").
 */
export async function countAuditEvents(db: Database, rawInput: AuditListInput): Promise<AuditCount> {
  const input = auditListInput.parse(rawInput);
  const filters = await filterConditions(db, input);
  if (!filters) return { value: 0, kind: "exact" };
  return countCapped(db, auditEvents, "audit_events", filters);
}

/**
 * The distinct values of an indexed leading column, by a loose index scan (one index probe per
 * value): cheap however many events there are, for the filter menus.
 */
async function distinctIndexed(db: Database, column: "action" | "target_type"): Promise<string[]> {
  const col = sql.identifier(column);
  const rows = await db.execute<{ v: string }>(sql`
    with recursive walk as (
      (select ${col} as v from audit_events order by ${col} limit 1)
      union all
      select (select ${col} from audit_events where ${col} > walk.v order by ${col} limit 1) from walk where walk.v is not null
    )
    select v from walk where v is not null`);
  return rows.map((r) => r.v);
}

export async function listAuditFilterOptions(db: Database): Promise<{ actions: string[]; targetTypes: string[] }> {
  const [actions, targetTypes] = await Promise.all([distinctIndexed(db, "action"), distinctIndexed(db, "target_type")]);
  return { actions, targetTypes };
}
