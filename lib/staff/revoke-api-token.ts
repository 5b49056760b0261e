import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "@/db/client";
import { apiTokens } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, can } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";

/**
 * Revokes an active API token. Every member may revoke their own (the Account page, SPEC §4);
 * another member's needs `manage_staff` (admins, on the Staff page). The owner is in the `where`
 * for everyone else, so a non-admin naming someone else's token gets the same `not_found` as for
 * a token that does not exist: nothing reveals that it does.
 */
export async function revokeApiToken(db: Database, actor: Actor, tokenId: string): Promise<void> {
  const anyOwner = can(actor.role, "manage_staff");
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiTokens.id, tokenId), isNull(apiTokens.revokedAt), anyOwner ? undefined : eq(apiTokens.staffId, actor.staffId)))
      .returning();
    if (!row) throw new AppError("not_found", "No such active token.");
    await recordAudit(tx, { actor, action: "api_token.revoke", targetType: "api_token", targetId: tokenId, after: { prefix: row.prefix } });
  });
}
