import type { Database } from "@/db/client";
import { apiTokens, type ApiToken } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { randomToken, sha256Hex } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import { createApiTokenInput, type CreateApiTokenInput } from "./staff.schema";
import { findStaffByEmail } from "./find-staff";
import { TOKEN_PREFIX } from "./api-tokens";

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
