import type { Database } from "@/db/client";
import type { Member } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { authenticateMember } from "./members";

/** The member behind `Authorization: Bearer <memberToken>`, or a 401. */
export async function requireMember(db: Database, token: string | null): Promise<Member> {
  if (!token) throw new AppError("unauthenticated", "Send the memberToken from redemption as `Authorization: Bearer <token>`.");
  const member = await authenticateMember(db, token);
  if (!member) throw new AppError("unauthenticated", "The member token is not valid.");
  return member;
}
