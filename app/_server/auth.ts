// next-auth (v5) for the console; the configuration is in ./auth-config.ts. The session token
// carries the staff id and its session version; the role (and whether the account is still
// enabled) is re-read from the database on every request (requireStaff, staffAction).
import "server-only";
import NextAuth from "next-auth";
import { authConfig } from "./auth-config";

export const { handlers, auth, signIn, signOut } = NextAuth(authConfig());

/** The staff id of the current session, or null (none, or one that has ended). */
export async function sessionStaffId(): Promise<string | null> {
  const session = await auth();
  return session?.user?.id ?? null;
}
