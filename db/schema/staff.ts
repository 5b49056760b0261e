import { sql } from "drizzle-orm";
import { index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const staffRole = pgEnum("staff_role", ["admin", "growth", "support", "product"]);
export type StaffRole = (typeof staffRole.enumValues)[number];

/**
 * Staff who sign in to the console. Doubles as the next-auth users table (the adapter needs
 * name, email, emailVerified and image), so optional OIDC sign-ins land on the same rows.
 */
export const staffUsers = pgTable(
  "staff_users",
  {
    id: uuid().primaryKey().defaultRandom(),
    email: text().notNull(),
    name: text(),
    role: staffRole().notNull(),
    /** argon2id; null for staff who only sign in through OIDC. */
    passwordHash: text(),
    emailVerified: timestamp({ withTimezone: true }),
    image: text(),
    disabledAt: timestamp({ withTimezone: true }),
    lastSignInAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("staff_users_email_key").on(sql`lower(${t.email})`)],
);

/** Staff API tokens for the admin API; a token acts with its creator's current role. */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid().primaryKey().defaultRandom(),
    staffId: uuid()
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    name: text().notNull(),
    /** sha256 of the token; the token itself is shown once at creation. */
    tokenHash: text().notNull().unique(),
    /** First characters of the token, to recognise it in lists. */
    prefix: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp({ withTimezone: true }),
    expiresAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("api_tokens_staff_id_idx").on(t.staffId)],
);

// next-auth adapter tables (used only when an OIDC provider is configured).
export const authAccounts = pgTable(
  "auth_accounts",
  {
    userId: uuid()
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    type: text().notNull(),
    provider: text().notNull(),
    providerAccountId: text().notNull(),
    refresh_token: text(),
    access_token: text(),
    expires_at: integer(),
    token_type: text(),
    scope: text(),
    id_token: text(),
    session_state: text(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerAccountId] }), index("auth_accounts_user_id_idx").on(t.userId)],
);

export const authSessions = pgTable(
  "auth_sessions",
  {
    sessionToken: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    expires: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index("auth_sessions_user_id_idx").on(t.userId)],
);

export const authVerificationTokens = pgTable(
  "auth_verification_tokens",
  {
    identifier: text().notNull(),
    token: text().notNull(),
    expires: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.identifier, t.token] })],
);

export type StaffUser = typeof staffUsers.$inferSelect;
export type ApiToken = typeof apiTokens.$inferSelect;
