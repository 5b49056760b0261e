// next-auth (v5) for the console: e-mail + password (argon2id, lib/staff) with JWT sessions.
// The session token carries the staff id and nothing else that matters: the role is re-read
// from the database on every request (requireStaff, staffAction), so a role change or a
// disabled account takes effect on the next request, not when the token expires.
import "server-only";
import NextAuth from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/db/client";
import { env } from "@/lib/env.js";
import { verifyStaffCredentials } from "@/lib/staff/find-staff";

const credentialsInput = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(200),
});

export const { handlers, auth, signIn, signOut } = NextAuth({
  secret: env.AUTH_SECRET,
  // Behind `next start` on any host/port (tests pick free ports); AUTH_URL pins it when set.
  trustHost: true,
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/sign-in" },
  providers: [
    Credentials({
      credentials: { email: { label: "E-mail", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(raw) {
        const parsed = credentialsInput.safeParse(raw);
        if (!parsed.success) return null;
        const staff = await verifyStaffCredentials(getDb(), parsed.data.email, parsed.data.password);
        return staff ? { id: staff.id, email: staff.email, name: staff.name } : null;
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user?.id) token.sub = user.id;
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
});

/** The staff id of the current session, or null. */
export async function sessionStaffId(): Promise<string | null> {
  const session = await auth();
  return session?.user?.id ?? null;
}
