import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "@/db/client";
import { apiTokens } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";

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
