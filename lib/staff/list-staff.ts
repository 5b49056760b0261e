// The Staff & API tokens page's lists, and the Account page's own tokens. Both tables stay small
// (tens to hundreds of rows), so they are read whole, newest first; no password or token hash
// ever leaves this module.
import { desc, eq, type SQL } from "drizzle-orm";
import type { Database } from "@/db/client";
import { apiTokens, staffUsers, type StaffRole } from "@/db/schema";
import { type Actor, assertCan } from "@/lib/auth/roles";

export interface StaffListItem {
  id: string;
  email: string;
  name: string | null;
  role: StaffRole;
  /** Signs in with a password (false: OIDC only). */
  hasPassword: boolean;
  twoFactor: boolean;
  passwordChangeRequired: boolean;
  disabledAt: Date | null;
  lastSignInAt: Date | null;
  createdAt: Date;
}

export interface ApiTokenListItem {
  id: string;
  name: string;
  prefix: string;
  ownerId: string;
  ownerEmail: string;
  ownerDisabled: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date;
  revokedAt: Date | null;
}

export async function listStaff(db: Database, actor: Actor): Promise<StaffListItem[]> {
  assertCan(actor, "manage_staff");
  const rows = await db.select().from(staffUsers).orderBy(desc(staffUsers.createdAt), desc(staffUsers.id));
  return rows.map((s) => ({
    id: s.id,
    email: s.email,
    name: s.name,
    role: s.role,
    hasPassword: s.passwordHash !== null,
    twoFactor: s.totpSecret !== null,
    passwordChangeRequired: s.passwordChangeRequired,
    disabledAt: s.disabledAt,
    lastSignInAt: s.lastSignInAt,
    createdAt: s.createdAt,
  }));
}

/** Every member's tokens: the admin's view on the Staff page. */
export async function listApiTokens(db: Database, actor: Actor): Promise<ApiTokenListItem[]> {
  assertCan(actor, "manage_staff");
  return selectApiTokens(db);
}

/**
 * The signed-in member's own tokens (the Account page, SPEC §4): any role, and only theirs —
 * the owner is in the `where`, so nobody reads another member's tokens through it.
 */
export async function listOwnApiTokens(db: Database, actor: Actor): Promise<ApiTokenListItem[]> {
  return selectApiTokens(db, eq(apiTokens.staffId, actor.staffId));
}

async function selectApiTokens(db: Database, where?: SQL): Promise<ApiTokenListItem[]> {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      ownerId: staffUsers.id,
      ownerEmail: staffUsers.email,
      ownerDisabledAt: staffUsers.disabledAt,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      expiresAt: apiTokens.expiresAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .innerJoin(staffUsers, eq(staffUsers.id, apiTokens.staffId))
    .where(where)
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id))
    .then((rows) => rows.map(({ ownerDisabledAt, ...t }) => ({ ...t, ownerDisabled: ownerDisabledAt !== null })));
}
