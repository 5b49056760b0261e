import { sql } from "drizzle-orm";
import { bigint, boolean, check, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

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
    /**
     * Every session token carries the version it was issued at; sign-out, a password change or
     * reset, disabling and a role change bump it, so every older session ends on its next request.
     */
    sessionVersion: integer().notNull().default(1),
    /** Set by an admin's password reset: the member must choose a new password before anything else. */
    passwordChangeRequired: boolean().notNull().default(false),
    /** TOTP (RFC 6238) secret, sealed with lib/secret-box (purpose "totp"); null = no second factor. */
    totpSecret: text(),
    /** A secret being enrolled (sealed), until the member confirms it with a code. */
    totpPendingSecret: text(),
    totpEnabledAt: timestamp({ withTimezone: true }),
    /** The last accepted TOTP time step: a code is accepted once (no replay within its window). */
    totpLastStep: bigint({ mode: "number" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("staff_users_email_key").on(sql`lower(${t.email})`)],
);

/**
 * Single-use recovery codes of a member's second factor, stored only as keyed hashes
 * (HMAC-SHA-256 with the data key); generated and shown once at enrolment.
 */
export const staffRecoveryCodes = pgTable(
  "staff_recovery_codes",
  {
    id: uuid().primaryKey().defaultRandom(),
    staffId: uuid()
      .notNull()
      .references(() => staffUsers.id, { onDelete: "cascade" }),
    codeHash: text().notNull(),
    usedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("staff_recovery_codes_staff_id_idx").on(t.staffId)],
);

/** Console-wide staff security settings: one row (id = 1), changed by admins, audited. */
export const staffSecuritySettings = pgTable(
  "staff_security_settings",
  {
    id: integer().primaryKey().default(1),
    /** Every staff member must have a second factor; those without one are sent to enrol. */
    requireTwoFactor: boolean().notNull().default(false),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid().references(() => staffUsers.id, { onDelete: "set null" }),
  },
  () => [check("staff_security_settings_singleton", sql`id = 1`)],
);

/** Staff API tokens for the admin API; a token belongs to its creator and acts with their current role. */
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
    /** Every token expires (90 days by default, SPEC §6); past it the token is refused. */
    expiresAt: timestamp({ withTimezone: true }).notNull(),
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
export type StaffRecoveryCode = typeof staffRecoveryCodes.$inferSelect;
export type StaffSecuritySettings = typeof staffSecuritySettings.$inferSelect;
