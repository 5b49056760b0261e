import { sql } from "drizzle-orm";
import { check, integer, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { staffUsers } from "./staff";

export const smsPrefixHoldStatus = pgEnum("sms_prefix_hold_status", ["held", "released"]);
export type SmsPrefixHoldStatus = (typeof smsPrefixHoldStatus.enumValues)[number];

/**
 * Number prefixes whose conversion collapsed (SPEC §3.2 rule 7): held automatically by the SMS
 * statistics job, released by an admin. A released row stays: the job then judges the prefix
 * only on codes sent after the release, so a release is not undone a minute later by the hour
 * that caused it.
 */
export const smsPrefixHolds = pgTable("sms_prefix_holds", {
  /** Same shape as registration_signals.phone_prefix, e.g. "+44791112". */
  prefix: text().primaryKey(),
  country: text().notNull(),
  status: smsPrefixHoldStatus().notNull(),
  /** Why it was held, in words staff read on the Policy page. */
  reason: text().notNull(),
  /** Codes sent and verifications counted when it was held. */
  sends: integer().notNull(),
  verified: integer().notNull(),
  heldAt: timestamp({ withTimezone: true }).notNull(),
  releasedAt: timestamp({ withTimezone: true }),
  releasedBy: uuid().references(() => staffUsers.id, { onDelete: "set null" }),
});

/**
 * Codes sent and verifications per 5-minute bucket, destination country and number prefix: the
 * SMS statistics job folds new registration_signals rows into it every minute (so no row here is
 * touched by registrations themselves), and drops buckets older than 25 hours. It feeds the
 * Policy page (last 24 hours) and the prefix-hold rule (last hour).
 */
export const smsSendStats = pgTable(
  "sms_send_stats",
  {
    bucket: timestamp({ withTimezone: true }).notNull(),
    country: text().notNull(),
    prefix: text().notNull(),
    sends: integer().notNull().default(0),
    verifications: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.country, t.prefix] })],
);

/** How far the SMS statistics job has folded registration_signals (one row). */
export const smsStatsProgress = pgTable(
  "sms_stats_progress",
  {
    id: integer().primaryKey().default(1),
    /** Signals created before this instant are counted in sms_send_stats. */
    processedUntil: timestamp({ withTimezone: true }).notNull(),
  },
  () => [check("sms_stats_progress_singleton", sql`id = 1`)],
);

export type SmsPrefixHold = typeof smsPrefixHolds.$inferSelect;
export type SmsSendStat = typeof smsSendStats.$inferSelect;
