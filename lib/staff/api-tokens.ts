import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { apiTokens, staffUsers } from "@/db/schema";
import { type Actor } from "@/lib/auth/roles";
import { sha256Hex } from "@/lib/crypto";

export const TOKEN_PREFIX = "ghs";

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
        gt(apiTokens.expiresAt, now),
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
