import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Every staff mutation, written in the same transaction as the change. Append-only: a trigger
 * (see the migrations) refuses UPDATE, DELETE and TRUNCATE.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    /** Staff id, or null for the system (schedulers, sweeps). No FK: history outlives staff rows. */
    actorId: uuid(),
    /** Email of the staff member, "system", or "token:<prefix> (<email>)". */
    actorLabel: text().notNull(),
    action: text().notNull(),
    targetType: text().notNull(),
    targetId: text(),
    /** Phones masked. */
    before: jsonb(),
    after: jsonb(),
    requestId: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("audit_events_created_at_idx").on(t.createdAt),
    index("audit_events_actor_id_idx").on(t.actorId, t.createdAt),
    index("audit_events_target_idx").on(t.targetType, t.targetId),
    index("audit_events_action_idx").on(t.action, t.createdAt),
  ],
);

export type AuditEvent = typeof auditEvents.$inferSelect;
