import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, pgTable, primaryKey, timestamp } from "drizzle-orm/pg-core";

/**
 * Counts of waiting registrations per (priority, hour of queuedAt), kept exact by statement
 * triggers on registrations (see the migrations) that append delta rows (`folded = false`) in
 * the same transaction as the change. The compaction job folds each touched key's rows into one
 * `folded` row. `sum(n)` over the table is always the exact number of waiting registrations.
 * Position = buckets ahead (day totals + folded hours of one's own day + unfolded deltas) + a
 * short index range count inside one's own bucket.
 */
export const waitlistCounts = pgTable(
  "waitlist_counts",
  {
    priority: integer().notNull(),
    bucket: timestamp({ withTimezone: true }).notNull(),
    n: bigint({ mode: "number" }).notNull(),
    /** Written by compaction (and counted in waitlist_day_counts); false for trigger deltas. */
    folded: boolean().notNull().default(false),
  },
  (t) => [
    index("waitlist_counts_bucket_idx").on(t.priority, t.bucket),
    index("waitlist_counts_deltas_idx").on(t.priority, t.bucket).where(sql`not folded`),
  ],
);

/**
 * Σ n of the folded waitlist_counts rows per (priority, UTC day), maintained by statement
 * triggers on waitlist_counts (so it can never disagree with them, whoever writes there). Lets
 * a position lookup sum ~days × priorities rows instead of every hour bucket ahead.
 */
export const waitlistDayCounts = pgTable(
  "waitlist_day_counts",
  {
    priority: integer().notNull(),
    day: timestamp({ withTimezone: true }).notNull(),
    n: bigint({ mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.priority, t.day] })],
);
