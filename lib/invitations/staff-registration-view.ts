// Registrations as the admin API shows them to staff: a keyset-paginated list and one
// registration with its invitations and membership. Phones follow the role (product sees
// them masked).
import { and, desc, eq, lt, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { invitations, members, registrationStatus, registrations, type Registration } from "@/db/schema";
import { type Actor, assertCan, phoneForRole } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { normalizePhone } from "@/lib/phone/normalize-phone";
import { positionOf } from "@/lib/registrations/position";

export const listRegistrationsQuery = z.object({
  status: z.enum(registrationStatus.enumValues).optional(),
  /** A phone in any format, an e-mail address or a registration id. */
  q: z.string().trim().min(1).max(100).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListRegistrationsQuery = z.output<typeof listRegistrationsQuery>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function encodeCursor(row: Registration): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString("base64url");
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, "base64url").toString().split("|");
  const createdAt = new Date(at ?? "");
  if (!id || !UUID.test(id) || Number.isNaN(createdAt.getTime())) {
    throw new AppError("validation", "The cursor is not valid.", { fieldErrors: [{ path: "cursor", message: "not a cursor from this API" }] });
  }
  return { createdAt, id };
}

function searchCondition(q: string): SQL {
  if (UUID.test(q)) return eq(registrations.id, q.toLowerCase());
  if (q.includes("@")) return sql`lower(${registrations.email}) = ${q.toLowerCase()}`;
  const phone = normalizePhone(q);
  const compact = q.replace(/[\s().-]/g, "");
  return eq(registrations.phone, phone.ok ? phone.phone.e164 : compact);
}

function present(actor: Actor, row: Registration, position: number | null) {
  return {
    id: row.id,
    phone: phoneForRole(actor.role, row.phone),
    phoneCountry: row.phoneCountry,
    email: row.email,
    platform: row.platform,
    locale: row.locale,
    status: row.status,
    review: row.review,
    priority: row.priority,
    referralPoints: row.referralPoints,
    boostPoints: row.boostPoints,
    position,
    queuedAt: row.queuedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    verifiedAt: row.verifiedAt?.toISOString() ?? null,
    referralCode: row.referralCode,
    legacyClaim: row.legacyClaim,
    statusReason: row.statusReason,
  };
}

/** Newest first, keyset-paginated on (createdAt, id). */
export async function listRegistrationsForStaff(db: Database, actor: Actor, query: ListRegistrationsQuery) {
  assertCan(actor, "view");
  const where: SQL[] = [];
  if (query.status) where.push(eq(registrations.status, query.status));
  if (query.q) where.push(searchCondition(query.q));
  if (query.cursor) {
    const c = decodeCursor(query.cursor);
    where.push(or(lt(registrations.createdAt, c.createdAt), and(eq(registrations.createdAt, c.createdAt), lt(registrations.id, c.id)))!);
  }
  const rows = await db
    .select()
    .from(registrations)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(registrations.createdAt), desc(registrations.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const items = await Promise.all(page.map(async (r) => present(actor, r, r.status === "waiting" ? await positionOf(db, r.id) : null)));
  return { items, nextCursor: rows.length > query.limit ? encodeCursor(page.at(-1)!) : null };
}

export async function getRegistrationForStaff(db: Database, actor: Actor, registrationId: string) {
  assertCan(actor, "view");
  const [row] = await db.select().from(registrations).where(eq(registrations.id, registrationId)).limit(1);
  if (!row) throw new AppError("not_found", "No such registration.");
  const [sent, [member]] = await Promise.all([
    db
      .select({
        id: invitations.id,
        phaseId: invitations.phaseId,
        source: invitations.source,
        batchId: invitations.batchId,
        status: invitations.status,
        expiresAt: invitations.expiresAt,
        createdAt: invitations.createdAt,
        redeemedAt: invitations.redeemedAt,
      })
      .from(invitations)
      .where(eq(invitations.registrationId, registrationId))
      .orderBy(desc(invitations.createdAt)),
    db
      .select({ id: members.id, phaseId: members.phaseId, inviteQuota: members.inviteQuota, admittedAt: members.admittedAt })
      .from(members)
      .where(eq(members.registrationId, registrationId))
      .limit(1),
  ]);
  return {
    ...present(actor, row, row.status === "waiting" ? await positionOf(db, row.id) : null),
    invitations: sent,
    member: member ?? null,
  };
}
