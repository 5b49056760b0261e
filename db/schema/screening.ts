import { bigserial, boolean, index, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
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

export const registrationSignalKind = pgEnum("registration_signal_kind", ["attempt", "verified"]);
export type RegistrationSignalKind = (typeof registrationSignalKind.enumValues)[number];

/**
 * Append-only events of the SMS funnel: one `attempt` row per registration attempt (new or
 * repeated, refused ones included; `code_sent` when it queued a verification code) and one
 * `verified` row per successful verification. Written in the statements that already make those
 * changes (no extra round trip), never updated. The SMS statistics job folds them into
 * sms_send_stats; rows older than a day are deleted by the retention purge (they hold addresses).
 * Velocity is counted in Redis on the request path, so nothing reads these by address or prefix.
 */
export const registrationSignals = pgTable(
  "registration_signals",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    registrationId: uuid().references(() => registrations.id, { onDelete: "cascade" }),
    kind: registrationSignalKind().notNull().default("attempt"),
    ip: text(),
    /** "+" country code and the first velocityPrefixDigits national digits, e.g. "+33612345". */
    phonePrefix: text().notNull(),
    /** ISO 3166 alpha-2 of the number (null on rows written before it was recorded). */
    phoneCountry: text(),
    /** This attempt queued a verification code (an SMS we pay for). */
    codeSent: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("registration_signals_created_at_idx").on(t.createdAt),
    index("registration_signals_registration_id_idx").on(t.registrationId),
  ],
);

export type RegistrationSignal = typeof registrationSignals.$inferSelect;
