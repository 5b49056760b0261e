import { sql } from "drizzle-orm";
import { boolean, check, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { platform } from "./registrations";

export const phaseKind = pgEnum("phase_kind", ["internal", "closed", "open"]);
export type PhaseKind = (typeof phaseKind.enumValues)[number];

export const phaseStatus = pgEnum("phase_status", ["draft", "scheduled", "active", "closed"]);
export type PhaseStatus = (typeof phaseStatus.enumValues)[number];

export const expiredPlacement = pgEnum("expired_placement", ["original", "back"]);
export type ExpiredPlacement = (typeof expiredPlacement.enumValues)[number];

export const phases = pgTable(
  "phases",
  {
    id: uuid().primaryKey().defaultRandom(),
    slug: text().notNull().unique(),
    name: text().notNull(),
    kind: phaseKind().notNull(),
    status: phaseStatus().notNull().default("draft"),
    startsAt: timestamp({ withTimezone: true }),
    endsAt: timestamp({ withTimezone: true }),
    /** Max members admitted in this phase; null = unlimited. */
    capacity: integer(),
    /** Max admissions per UTC day; null = unlimited. */
    dailyAdmissionCap: integer(),
    memberInviteQuota: integer().notNull().default(0),
    invitationTtlHours: integer().notNull().default(72),
    expiredPlacement: expiredPlacement().notNull().default("original"),
    autoReactivateExpired: boolean().notNull().default(false),
    /** ISO 3166 alpha-2 codes; null = every country. */
    countries: text().array(),
    /** null = every platform. */
    platforms: platform().array(),
    activatedAt: timestamp({ withTimezone: true }),
    closedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // At most one active phase, enforced by the database.
    uniqueIndex("phases_single_active_key").on(t.status).where(sql`status = 'active'`),
    check("phases_capacity_positive", sql`capacity is null or capacity >= 0`),
    check("phases_daily_cap_positive", sql`daily_admission_cap is null or daily_admission_cap >= 0`),
    check("phases_quota_nonnegative", sql`member_invite_quota >= 0`),
    check("phases_ttl_positive", sql`invitation_ttl_hours > 0`),
    check("phases_window", sql`ends_at is null or starts_at is null or ends_at > starts_at`),
  ],
);

/** Employee phones allowed into an `internal` phase (E.164). */
export const phaseAllowedPhones = pgTable(
  "phase_allowed_phones",
  {
    phaseId: uuid()
      .notNull()
      .references(() => phases.id, { onDelete: "cascade" }),
    phone: text().notNull(),
    note: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.phaseId, t.phone] })],
);

export type Phase = typeof phases.$inferSelect;
export type NewPhase = typeof phases.$inferInsert;
