import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { members, type Member } from "@/db/schema";
import { sha256Hex } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import { MEMBER_TOKEN_PREFIX } from "./create-member";

/** The member behind a bearer token, or null. */
export async function authenticateMember(db: Database, token: string): Promise<Member | null> {
  if (!token.startsWith(`${MEMBER_TOKEN_PREFIX}_`)) return null;
  const [row] = await db.select().from(members).where(eq(members.tokenHash, sha256Hex(token))).limit(1);
  return row ?? null;
}

/** The member behind `Authorization: Bearer <memberToken>`, or a 401. */
export async function requireMember(db: Database, token: string | null): Promise<Member> {
  if (!token) throw new AppError("unauthenticated", "Send the memberToken from redemption as `Authorization: Bearer <token>`.");
  const member = await authenticateMember(db, token);
  if (!member) throw new AppError("unauthenticated", "The member token is not valid.");
  return member;
}
