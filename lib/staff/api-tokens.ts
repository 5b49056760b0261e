import { and, eq, gt, isNull, or, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { apiTokens, staffUsers, type ApiToken } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { randomToken, sha256Hex } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import { createApiTokenInput, type CreateApiTokenInput } from "./staff.schema";
import { findStaffByEmail } from "./staff-users";

const TOKEN_PREFIX = "ghs";

/**
 * Creates an API token for a staff member; the token is returned once and stored hashed.
 * `actor` null = CLI (system); otherwise admins only.
 */
export async function createApiToken(
  db: Database,
  actor: Actor | null,
  input: CreateApiTokenInput,
): Promise<{ token: string; row: ApiToken }> {
  if (actor) assertCan(actor, "manage_staff");
  const parsed = createApiTokenInput.parse(input);
  const staff = await findStaffByEmail(db, parsed.email);
  if (!staff || staff.disabledAt) throw new AppError("not_found", `No active staff member with e-mail ${parsed.email}.`);
  const token = randomToken(TOKEN_PREFIX);
  const expiresAt = parsed.expiresInDays ? new Date(Date.now() + parsed.expiresInDays * 86_400_000) : null;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({ staffId: staff.id, name: parsed.name, tokenHash: sha256Hex(token), prefix: token.slice(0, 10), expiresAt })
      .returning();
    await recordAudit(tx, {
      actor,
      action: "api_token.create",
      targetType: "api_token",
      targetId: row!.id,
      after: { staff: staff.email, name: row!.name, prefix: row!.prefix, expiresAt },
    });
    return { token, row: row! };
  });
}

/**
 * The actor behind a bearer token, with the creator's *current* role (a role change applies to
 * the next request), or null when the token is unknown, revoked, expired or its owner disabled.
 */
export async function authenticateApiToken(db: Database, token: string, requestId?: string): Promise<Actor | null> {
  if (!token.startsWith(`${TOKEN_PREFIX}_`)) return null;
  const now = new Date();
  const [row] = await db
    .select({ tokenId: apiTokens.id, prefix: apiTokens.prefix, staffId: staffUsers.id, email: staffUsers.email, role: staffUsers.role })
    .from(apiTokens)
    .innerJoin(staffUsers, eq(staffUsers.id, apiTokens.staffId))
    .where(
      and(
        eq(apiTokens.tokenHash, sha256Hex(token)),
        isNull(apiTokens.revokedAt),
        or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now)),
        isNull(staffUsers.disabledAt),
      ),
    )
    .limit(1);
  if (!row) return null;
  // Last-used is informational: refresh it at most once a minute to keep hot tokens cheap.
  await db
    .update(apiTokens)
    .set({ lastUsedAt: now })
    .where(and(eq(apiTokens.id, row.tokenId), sql`(last_used_at is null or last_used_at < now() - interval '1 minute')`));
  return { staffId: row.staffId, email: row.email, role: row.role, via: { kind: "token", prefix: row.prefix }, requestId };
}

export async function revokeApiToken(db: Database, actor: Actor, tokenId: string): Promise<void> {
  assertCan(actor, "manage_staff");
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiTokens.id, tokenId), isNull(apiTokens.revokedAt)))
      .returning();
    if (!row) throw new AppError("not_found", "No such active token.");
    await recordAudit(tx, { actor, action: "api_token.revoke", targetType: "api_token", targetId: tokenId, after: { prefix: row.prefix } });
  });
}
