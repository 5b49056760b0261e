import { bigserial, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { registrations } from "./registrations";

/**
 * Registrations waiting for the screening worker. Written in the same transaction as the new
 * registration (so none is ever missed, and the request never touches Redis); the scheduled
 * screening sweep claims rows with SKIP LOCKED, screens them and deletes them.
 */
export const screeningQueue = pgTable(
  "screening_queue",
  {
    registrationId: uuid()
      .primaryKey()
      .references(() => registrations.id, { onDelete: "cascade" }),
    enqueuedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("screening_queue_enqueued_at_idx").on(t.enqueuedAt)],
);

/**
 * One row per accepted registration attempt (new or repeated), for the velocity rules (per IP
 * and per number prefix over a window). Kept out of `registrations` so the hot table needs no
 * extra index; rows older than a day are deleted by the retention purge.
 */
export const registrationSignals = pgTable(
  "registration_signals",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    registrationId: uuid().references(() => registrations.id, { onDelete: "cascade" }),
    ip: text(),
    /** "+" country code and the first velocityPrefixDigits national digits, e.g. "+33612345". */
    phonePrefix: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("registration_signals_ip_idx").on(t.ip, t.createdAt).where(sql`ip is not null`),
    index("registration_signals_prefix_idx").on(t.phonePrefix, t.createdAt),
    index("registration_signals_created_at_idx").on(t.createdAt),
    index("registration_signals_registration_id_idx").on(t.registrationId),
  ],
);

export type RegistrationSignal = typeof registrationSignals.$inferSelect;
