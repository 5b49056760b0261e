import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { invitations } from "./invitations";
import { locale, registrations } from "./registrations";

export const notificationKind = pgEnum("notification_kind", [
  "verification_code",
  "invitation",
  "invitation_reminder",
  "reactivation",
]);
export type NotificationKind = (typeof notificationKind.enumValues)[number];

export const notificationChannel = pgEnum("notification_channel", ["sms", "email"]);
export type NotificationChannel = (typeof notificationChannel.enumValues)[number];

export const notificationStatus = pgEnum("notification_status", [
  "pending",
  "queued",
  "sending",
  "sent",
  "failed",
  "unknown",
]);
export type NotificationStatus = (typeof notificationStatus.enumValues)[number];

/**
 * The transactional outbox: written in the same transaction as the row that needs it, moved
 * into BullMQ by the relay (job id = this id), claimed (`sending`) before the provider call so
 * nothing is ever sent twice.
 */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid().primaryKey().defaultRandom(),
    kind: notificationKind().notNull(),
    channel: notificationChannel().notNull(),
    status: notificationStatus().notNull().default("pending"),
    registrationId: uuid().references(() => registrations.id, { onDelete: "cascade" }),
    invitationId: uuid().references(() => invitations.id, { onDelete: "set null" }),
    /** E.164 phone or e-mail address. */
    recipient: text().notNull(),
    locale: locale().notNull().default("en"),
    /** Template variables that are not secret (phase name, expiry, link). */
    params: jsonb().notNull().default(sql`'{}'::jsonb`),
    /**
     * The one-time code this message carries, sealed with AES-256-GCM (lib/notifications/
     * code-secret.ts). Codes are stored only as keyed hashes elsewhere; this copy lives only
     * until the message is sent or settled (its code can no longer be used), then it is wiped.
     */
    secret: text(),
    /**
     * The request that wrote this message (the HTTP request, or the one whose job wrote it — a
     * batch's chunks carry the id of the request that created the batch); null for the
     * schedulers. The relay puts it in the delivery job, so the delivery's log lines carry it.
     */
    requestId: text(),
    attempts: integer().notNull().default(0),
    lastError: text(),
    providerMessageId: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    queuedAt: timestamp({ withTimezone: true }),
    claimedAt: timestamp({ withTimezone: true }),
    sentAt: timestamp({ withTimezone: true }),
    failedAt: timestamp({ withTimezone: true }),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // The relay's work list.
    index("notifications_pending_idx").on(t.createdAt).where(sql`status = 'pending'`),
    // Stale claims for the `unknown` sweep, and queued rows the relay re-checks.
    index("notifications_in_flight_idx")
      .on(t.status, t.updatedAt)
      .where(sql`status in ('queued', 'sending')`),
    // The rows staff must act on, newest change first. Deliberately not an index on every status:
    // each claim and "sent" mark would add an entry to it, and claims planned through it walked
    // every queued row instead of the ids at hand.
    index("notifications_attention_idx")
      .on(t.status, t.updatedAt, t.id)
      .where(sql`status in ('failed', 'unknown')`),
    index("notifications_registration_id_idx").on(t.registrationId),
    index("notifications_invitation_id_idx").on(t.invitationId).where(sql`invitation_id is not null`),
  ],
);

export type Notification = typeof notifications.$inferSelect;
export type NewNotification = typeof notifications.$inferInsert;
