import { bigint, index, integer, pgTable, timestamp } from "drizzle-orm/pg-core";

/**
 * Counts of waiting registrations per (priority, hour of queuedAt), kept exact by statement
 * triggers on registrations (see the migrations) that append delta rows in the same
 * transaction as the change. Several rows may exist per key; a compaction job folds them.
 * Position = rows of buckets ahead + a short index range count inside one's own bucket.
 */
export const waitlistCounts = pgTable(
  "waitlist_counts",
  {
    priority: integer().notNull(),
    bucket: timestamp({ withTimezone: true }).notNull(),
    n: bigint({ mode: "number" }).notNull(),
  },
  (t) => [index("waitlist_counts_bucket_idx").on(t.priority, t.bucket)],
);
