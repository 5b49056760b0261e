// Members and their ledgers as staff see them (the console's Members page).
import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
import type { Database } from "@/db/client";
import { members, phases, quotaLedger, registrations } from "@/db/schema";
import { type Actor, assertCan, phoneForRole } from "@/lib/auth/roles";

/** Newest members first, keyset-paginated on (admittedAt, id); optionally one phase's. */
export async function listMembers(
  db: Database,
  actor: Actor,
  options: { phaseId?: string; cursor?: { admittedAt: Date; id: string }; limit?: number } = {},
) {
  assertCan(actor, "view");
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const where: SQL[] = [];
  if (options.phaseId) where.push(eq(members.phaseId, options.phaseId));
  if (options.cursor) {
    where.push(or(lt(members.admittedAt, options.cursor.admittedAt), and(eq(members.admittedAt, options.cursor.admittedAt), lt(members.id, options.cursor.id)))!);
  }
  const rows = await db
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
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(members.admittedAt), desc(members.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit).map((r) => ({ ...r, phone: phoneForRole(actor.role, r.phone) }));
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? { admittedAt: last.admittedAt, id: last.id } : null };
}

/** One member's ledger, newest first: every balance change with its reason. */
export async function listQuotaLedger(db: Database, actor: Actor, memberId: string, limit = 200) {
  assertCan(actor, "view");
  return db
    .select({
      id: quotaLedger.id,
      delta: quotaLedger.delta,
      reason: quotaLedger.reason,
      invitationId: quotaLedger.invitationId,
      batchId: quotaLedger.batchId,
      actor: quotaLedger.actor,
      createdAt: quotaLedger.createdAt,
    })
    .from(quotaLedger)
    .where(eq(quotaLedger.memberId, memberId))
    .orderBy(desc(quotaLedger.id))
    .limit(limit);
}
