// The Staff & API tokens page's lists. Both tables stay small (tens to hundreds of rows), so
// they are read whole, newest first; no password or token hash ever leaves this module.
import { desc, eq } from "drizzle-orm";
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

export async function listApiTokens(db: Database, actor: Actor): Promise<ApiTokenListItem[]> {
  assertCan(actor, "manage_staff");
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
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id))
    .then((rows) => rows.map(({ ownerDisabledAt, ...t }) => ({ ...t, ownerDisabled: ownerDisabledAt !== null })));
}
