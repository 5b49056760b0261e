// The console's Members page: members newest admission first (members_admitted_at_idx), keyset
// on (admitted_at, id), never OFFSET; optional phase filter (members_phase_id_admitted_at_idx).
// One member with their quota ledger for the detail page. Phones follow the actor's role.
// Cursors are row ids (not timestamps), so microsecond admitted_at values stay exact.
import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { members, phases, registrations } from "@/db/schema";
import { type Actor, assertCan, phoneForRole } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { readDirection, toKeysetPage } from "@/lib/keyset";
import { type LedgerPageInput, listQuotaLedger, summarizeQuotaLedger } from "./list-quota-ledger";

export const memberListInput = z.object({
  phase: z.uuid().optional(),
  dir: z.enum(["desc", "asc"]).default("desc"),
  after: z.uuid().optional(),
  before: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type MemberListInput = z.input<typeof memberListInput>;

export interface MemberListRow {
  id: string;
  registrationId: string;
  phone: string | null;
  phaseId: string;
  phaseName: string;
  admittedAt: Date;
  inviteQuota: number;
}

/** `(admitted_at, id)` strictly beyond the cursor member in `direction`, starting on the admitted_at index. */
function beyond(cursorId: string, direction: "desc" | "asc"): SQL {
  const at = sql`(select admitted_at from members where id = ${cursorId})`;
  return direction === "desc"
    ? sql`(${members.admittedAt} <= ${at} and (${members.admittedAt} < ${at} or ${members.id} < ${cursorId}))`
    : sql`(${members.admittedAt} >= ${at} and (${members.admittedAt} > ${at} or ${members.id} > ${cursorId}))`;
}

export async function listMembers(db: Database, actor: Actor, rawInput: MemberListInput) {
  assertCan(actor, "view");
  const input = memberListInput.parse(rawInput);
  const backwards = input.before !== undefined;
  const direction = readDirection(input.dir, backwards);
  const cursor = input.before ?? input.after;
  const conditions: SQL[] = [];
  if (input.phase) conditions.push(eq(members.phaseId, input.phase));
  if (cursor) conditions.push(beyond(cursor, direction));
  const order = direction === "desc" ? [desc(members.admittedAt), desc(members.id)] : [asc(members.admittedAt), asc(members.id)];
  const fetched = await db
    .select({
      id: members.id,
      registrationId: members.registrationId,
      phone: registrations.phone,
      phaseId: members.phaseId,
      phaseName: phases.name,
      admittedAt: members.admittedAt,
      inviteQuota: members.inviteQuota,
    })
    .from(members)
    .innerJoin(registrations, eq(registrations.id, members.registrationId))
    .innerJoin(phases, eq(phases.id, members.phaseId))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(...order)
    .limit(input.limit + 1);
  const rows = fetched.map((m): MemberListRow => ({ ...m, phone: phoneForRole(actor.role, m.phone) }));
  return toKeysetPage(rows, { limit: input.limit, backwards, fromCursor: cursor !== undefined });
}

export interface MemberCount {
  value: number;
  kind: "exact" | "estimate";
}

/** Members of one phase are counted (indexed); all members from the planner's estimate once large. */
export async function countMembers(db: Database, rawInput: MemberListInput): Promise<MemberCount> {
  const input = memberListInput.parse(rawInput);
  if (!input.phase) {
    const [estimate] = await db.execute<{ n: number }>(sql`select reltuples::bigint as n from pg_class where oid = 'members'::regclass`);
    if (estimate && Number(estimate.n) > 100_000) return { value: Number(estimate.n), kind: "estimate" };
  }
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(members)
    .where(input.phase ? eq(members.phaseId, input.phase) : undefined);
  return { value: row?.n ?? 0, kind: "exact" };
}

/** One member, their phase, and a page of their quota ledger (lib/members/queries.ts). */
export async function getMemberWithLedger(db: Database, actor: Actor, memberId: string, ledgerInput: LedgerPageInput = {}) {
  assertCan(actor, "view");
  const [row] = await db
    .select({ member: members, phone: registrations.phone, phaseName: phases.name })
    .from(members)
    .innerJoin(registrations, eq(registrations.id, members.registrationId))
    .innerJoin(phases, eq(phases.id, members.phaseId))
    .where(eq(members.id, memberId))
    .limit(1);
  if (!row) throw new AppError("not_found", "No such member.");
  const [ledger, summary] = await Promise.all([listQuotaLedger(db, actor, memberId, ledgerInput), summarizeQuotaLedger(db, memberId)]);
  return {
    id: row.member.id,
    registrationId: row.member.registrationId,
    phone: phoneForRole(actor.role, row.phone),
    phaseName: row.phaseName,
    admittedAt: row.member.admittedAt,
    inviteQuota: row.member.inviteQuota,
    /** Always equals inviteQuota (the invariant); shown so staff can see that it holds. */
    ledgerTotal: summary.total,
    ledgerEntries: summary.entries,
    ledger,
  };
}

