import { sql } from "drizzle-orm";
import { bigserial, boolean, check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { staffUsers } from "./staff";

/** What an endpoint can subscribe to (SPEC §6); the names are the contract. */
export const webhookEventType = pgEnum("webhook_event_type", [
  "registration.verified",
  "invitation.sent",
  "invitation.expired",
  "member.admitted",
  "batch.completed",
  "phase.activated",
]);
export type WebhookEventType = (typeof webhookEventType.enumValues)[number];

export const webhookEndpointStatus = pgEnum("webhook_endpoint_status", ["enabled", "disabled"]);
export type WebhookEndpointStatus = (typeof webhookEndpointStatus.enumValues)[number];

/**
 * pending: waits for the relay (at `next_attempt_at`, and only while its endpoint is enabled);
 * queued: in BullMQ; sending: claimed by a worker; delivered: a 2xx came back; failed: retries
 * ran out while the endpoint answered other deliveries (an undeliverable event, not a dead
 * endpoint — a dead one is disabled instead and its deliveries stay pending).
 */
export const webhookDeliveryStatus = pgEnum("webhook_delivery_status", ["pending", "queued", "sending", "delivered", "failed"]);
export type WebhookDeliveryStatus = (typeof webhookDeliveryStatus.enumValues)[number];

/** Where the app's own back end wants to hear about admissions (SPEC §6). */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: uuid().primaryKey().defaultRandom(),
    url: text().notNull(),
    description: text(),
    events: webhookEventType().array().notNull(),
    /** Adds the registration's phone to payloads that name one (personal data: off by default). */
    includePhone: boolean().notNull().default(false),
    /** The `whsec_…` signing secret, sealed with the data key (lib/secret-box); shown once at creation. */
    secretSealed: text().notNull(),
    status: webhookEndpointStatus().notNull().default("enabled"),
    /** Why it is disabled: said by staff, or the automatic "kept failing" notice. */
    disabledReason: text(),
    disabledAt: timestamp({ withTimezone: true }),
    /** True when the worker disabled it (every delivery failed for the whole retry window). */
    disabledAutomatically: boolean().notNull().default(false),
    /** Start of the current run of failed attempts; null after any success. */
    failingSince: timestamp({ withTimezone: true }),
    lastSuccessAt: timestamp({ withTimezone: true }),
    lastFailureAt: timestamp({ withTimezone: true }),
    lastError: text(),
    createdBy: uuid().references(() => staffUsers.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("webhook_endpoints_events_nonempty", sql`cardinality(${t.events}) > 0`)],
);

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;

/**
 * The webhook outbox: one row per (event, subscribed endpoint), written in the transaction of
 * the change it reports. Its id is the `webhook-id` every attempt carries, so a receiver
 * deduplicates a delivery sent again after an interruption.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid().primaryKey().defaultRandom(),
    endpointId: uuid()
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventType: webhookEventType().notNull(),
    /**
     * The event's `data` (ids, statuses, slugs). Never a phone: for endpoints with includePhone it
     * is read from the registration at send time, so retention's erasure reaches it too.
     */
    data: jsonb().notNull(),
    /** When the change happened: the body's `timestamp`. */
    occurredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    status: webhookDeliveryStatus().notNull().default("pending"),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Every attempt ever made. */
    attempts: integer().notNull().default(0),
    /** How often the relay put it in the queue: its job id is `<id>-<enqueues>`, new every time. */
    enqueues: integer().notNull().default(0),
    /** Failed attempts in a row since the last success, send-again or replay: picks the next delay. */
    failures: integer().notNull().default(0),
    /** First failure of the current run of failures. */
    failingSince: timestamp({ withTimezone: true }),
    claimedAt: timestamp({ withTimezone: true }),
    deliveredAt: timestamp({ withTimezone: true }),
    lastStatusCode: integer(),
    lastError: text(),
    /**
     * The request whose change raised the event (as notifications.request_id); null for the
     * schedulers. The relay puts it in the delivery job, so the delivery's log lines name it.
     */
    requestId: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // The relay's work list, walked per enabled endpoint in due order.
    index("webhook_deliveries_due_idx").on(t.endpointId, t.nextAttemptAt).where(sql`status = 'pending'`),
    // Claims left behind by a dead worker, and queued rows whose job Redis may have lost.
    index("webhook_deliveries_in_flight_idx")
      .on(t.status, t.updatedAt)
      .where(sql`status in ('queued', 'sending')`),
    // The console's list per endpoint, newest first; also the retention purge.
    index("webhook_deliveries_endpoint_created_idx").on(t.endpointId, t.createdAt, t.id),
    // The console's "failed" filter: few rows among many delivered ones.
    index("webhook_deliveries_failed_idx").on(t.endpointId, t.createdAt, t.id).where(sql`status = 'failed'`),
  ],
);

export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;

/** One HTTP attempt of a delivery, for the console. */
export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    deliveryId: uuid()
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    startedAt: timestamp({ withTimezone: true }).notNull(),
    durationMs: integer(),
    /** The receiver's HTTP status; null when none came back (timeout, refused, interrupted). */
    statusCode: integer(),
    error: text(),
    /** The first characters of the receiver's answer. */
    responseExcerpt: text(),
  },
  (t) => [index("webhook_attempts_delivery_id_idx").on(t.deliveryId, t.id)],
);

export type WebhookAttempt = typeof webhookAttempts.$inferSelect;
