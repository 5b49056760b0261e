import type { Database } from "@/db/client";
import { apiTokens, type ApiToken } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Actor } from "@/lib/auth/roles";
import { randomToken, sha256Hex } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import { createApiTokenInput, type CreateApiTokenInput } from "./staff.schema";
import { findStaffByEmail, getStaffById } from "./find-staff";
import { TOKEN_PREFIX } from "./api-tokens";

/**
 * Creates an API token; it is returned once and stored hashed, and it expires (90 days unless
 * asked otherwise). A token belongs to the staff member who creates it and acts with their
 * current role (SPEC §6): staff create only their own — naming anyone else is refused, so nobody
 * can mint a token that acts as someone else. `actor` null is the operator's CLI
 * (`token:create --email`), which names the member.
 */
export async function createApiToken(
  db: Database,
  actor: Actor | null,
  input: CreateApiTokenInput,
): Promise<{ token: string; row: ApiToken }> {
  const parsed = createApiTokenInput.parse(input);
  if (actor && parsed.email !== undefined && parsed.email !== actor.email.toLowerCase()) {
    throw new AppError("forbidden", "Staff create API tokens for themselves only: a token acts as the member who created it.");
  }
  if (!actor && parsed.email === undefined) throw new AppError("validation", "Name the staff member the token is for (--email).");
  const staff = actor ? await getStaffById(db, actor.staffId) : await findStaffByEmail(db, parsed.email!);
  if (!staff || staff.disabledAt) throw new AppError("not_found", `No active staff member ${actor ? actor.email : parsed.email}.`);
  const token = randomToken(TOKEN_PREFIX);
  const expiresAt = new Date(Date.now() + parsed.expiresInDays * 86_400_000);
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
