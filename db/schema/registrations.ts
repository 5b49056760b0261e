import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  boolean,
  char,
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

export const registrationStatus = pgEnum("registration_status", [
  "pending_verification",
  "waiting",
  "invited",
  "admitted",
  "lapsed",
  "removed",
  "expired",
  "blocked",
]);
export type RegistrationStatus = (typeof registrationStatus.enumValues)[number];

export const platform = pgEnum("platform", ["android", "ios"]);
export type Platform = (typeof platform.enumValues)[number];

export const locale = pgEnum("locale", ["en", "fr", "zh"]);
export type Locale = (typeof locale.enumValues)[number];

export const review = pgEnum("review", ["clear", "hold"]);
export type Review = (typeof review.enumValues)[number];

/**
 * One person (one phone number) wanting in. Only the public registration endpoint and a
 * member's invite create rows here (fresh-registration policy): nothing is imported.
 *
 * Every index on this table costs every admission a new index entry (status sits in the queue
 * index predicate, so status changes are never HOT updates): keep them few.
 */
export const registrations = pgTable(
  "registrations",
  {
    id: uuid().primaryKey().defaultRandom(),
    /** E.164; null once personal data has been erased (lapsed/removed past retention). */
    phone: text(),
    /** Salted sha256 of the E.164 phone; survives erasure for the block list and statistics. */
    phoneHash: text().notNull(),
    phoneCountry: char({ length: 2 }).notNull(),
    email: text(),
    platform: platform().notNull(),
    locale: locale().notNull().default("en"),
    status: registrationStatus().notNull().default("pending_verification"),
    /** Verified referrals × referralBoost, capped at referralBoostCap. */
    referralPoints: integer().notNull().default(0),
    /** Sum of audited staff boosts. */
    boostPoints: integer().notNull().default(0),
    /** Queue priority; derived so it can never disagree with its parts. */
    priority: integer()
      .notNull()
      .generatedAlwaysAs(sql`referral_points + boost_points`),
    /** When it entered the queue (first verification); decides order among equal priority. */
    queuedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    verifiedAt: timestamp({ withTimezone: true }),
    statusChangedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    referralCode: text().notNull(),
    referredBy: uuid().references((): AnyPgColumn => registrations.id, { onDelete: "set null" }),
    /** The payload claimed an account of the old service; recorded, never rewarded. */
    legacyClaim: boolean().notNull().default(false),
    review: review().notNull().default("clear"),
    /** Why staff removed or blocked it. */
    statusReason: text(),
    /** Address the registration came from, for screening velocity; erased with the phone. */
    signupIp: text(),
    verificationCodeHash: text(),
    verificationExpiresAt: timestamp({ withTimezone: true }),
    verificationAttempts: smallint().notNull().default(0),
    /** sha256 of the bearer token for GET /api/v1/registrations/me. */
    statusTokenHash: text(),
    erasedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    // The queue order, over waiting rows only.
    index("registrations_queue_idx")
      .on(t.priority.desc().nullsFirst(), t.queuedAt.asc(), t.id.asc())
      .where(sql`status = 'waiting'`),
    // The queue of people on hold: support's "who is held" view, tiny and never admitted.
    index("registrations_held_queue_idx")
      .on(t.priority.desc().nullsFirst(), t.queuedAt.asc(), t.id.asc())
      .where(sql`status = 'waiting' and review = 'hold'`),
    // Newest first within one non-waiting status (the waitlist's status filter). Waiting rows,
    // 94 % of the table, stay out: they are listed through the queue index.
    index("registrations_status_created_at_idx")
      .on(t.status, t.createdAt, t.id)
      .where(sql`status <> 'waiting'`),
    // One phone, one live place. Lapsed and removed registrations are history, not places.
    uniqueIndex("registrations_live_phone_key")
      .on(t.phone)
      .where(sql`status not in ('lapsed', 'removed')`),
    uniqueIndex("registrations_referral_code_key").on(t.referralCode),
    uniqueIndex("registrations_status_token_hash_key").on(t.statusTokenHash),
    index("registrations_referred_by_idx").on(t.referredBy).where(sql`referred_by is not null`),
    index("registrations_created_at_idx").on(t.createdAt),
    index("registrations_phone_hash_idx").on(t.phoneHash),
    // Sweeps. Partial indexes whose predicates admissions never match, so they cost an
    // admission (waiting -> invited) nothing: unverified rows by deadline (lapse sweep), and
    // lapsed/removed rows not yet erased (retention purge).
    index("registrations_pending_expiry_idx")
      .on(t.verificationExpiresAt)
      .where(sql`status = 'pending_verification'`),
    index("registrations_erasable_idx")
      .on(t.statusChangedAt)
      .where(sql`status in ('lapsed', 'removed') and erased_at is null`),
    index("registrations_email_idx")
      .on(sql`lower(${t.email})`)
      .where(sql`email is not null`),
    check("registrations_queued_when_waiting", sql`status <> 'waiting' or queued_at is not null`),
    check("registrations_points_nonnegative", sql`referral_points >= 0`),
  ],
);

export type Registration = typeof registrations.$inferSelect;
export type NewRegistration = typeof registrations.$inferInsert;
