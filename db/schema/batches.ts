import { sql } from "drizzle-orm";
import { bigserial, check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { phases } from "./phases";
import { registrations } from "./registrations";
import { staffUsers } from "./staff";

export const batchKind = pgEnum("batch_kind", ["admit_next", "targeted", "member_quota", "reactivate"]);
export type BatchKind = (typeof batchKind.enumValues)[number];

export const batchStatus = pgEnum("batch_status", ["queued", "running", "completed", "failed", "cancelled"]);
export type BatchStatus = (typeof batchStatus.enumValues)[number];

/** One staff decision executed by workers in chunks, with live counters. */
export const batches = pgTable(
  "batches",
  {
    id: uuid().primaryKey().defaultRandom(),
    kind: batchKind().notNull(),
    params: jsonb().notNull(),
    status: batchStatus().notNull().default("queued"),
    phaseId: uuid().references(() => phases.id, { onDelete: "set null" }),
    requested: integer().notNull().default(0),
    selected: integer().notNull().default(0),
    invited: integer().notNull().default(0),
    notified: integer().notNull().default(0),
    failed: integer().notNull().default(0),
    /** Why fewer than requested were selected (capacity, daily cap, …). */
    truncatedReason: text(),
    error: text(),
    createdBy: uuid()
      .notNull()
      .references(() => staffUsers.id, { onDelete: "restrict" }),
    /** Client-chosen key: the same key and body returns this batch, another body is refused. */
    idempotencyKey: text().notNull(),
    /** sha256 of the canonical request body, to tell "same body" from "other body". */
    requestHash: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
    cancelledAt: timestamp({ withTimezone: true }),
    cancelledBy: uuid().references(() => staffUsers.id, { onDelete: "set null" }),
  },
  (t) => [
    uniqueIndex("batches_idempotency_key").on(t.createdBy, t.idempotencyKey),
    index("batches_created_at_idx").on(t.createdAt),
    index("batches_phase_id_idx").on(t.phaseId),
    check("batches_counters_nonnegative", sql`requested >= 0 and selected >= 0 and invited >= 0 and notified >= 0 and failed >= 0`),
  ],
);

/** Registrations a batch could not process, with the reason, for the batch detail page. */
export const batchFailures = pgTable(
  "batch_failures",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    batchId: uuid()
      .notNull()
      .references(() => batches.id, { onDelete: "cascade" }),
    registrationId: uuid().references(() => registrations.id, { onDelete: "set null" }),
    /** The phone or id as the staff member gave it, for targeted batches. */
    input: text(),
    reason: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("batch_failures_batch_id_idx").on(t.batchId)],
);

export type Batch = typeof batches.$inferSelect;
export type BatchFailure = typeof batchFailures.$inferSelect;
