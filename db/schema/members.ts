import { sql } from "drizzle-orm";
import { bigserial, check, index, integer, pgEnum, pgTable, text, timestamp, uuid, type AnyPgColumn } from "drizzle-orm/pg-core";
import { batches } from "./batches";
import { invitations } from "./invitations";
import { phases } from "./phases";
import { registrations } from "./registrations";

/** A registration that got in. Its invite balance changes only together with a ledger row. */
export const members = pgTable(
  "members",
  {
    id: uuid().primaryKey().defaultRandom(),
    registrationId: uuid()
      .notNull()
      .unique()
      .references(() => registrations.id, { onDelete: "restrict" }),
    phaseId: uuid()
      .notNull()
      .references(() => phases.id, { onDelete: "restrict" }),
    admittedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Current balance; always equals the sum of this member's quota_ledger rows. */
    inviteQuota: integer().notNull().default(0),
    /** sha256 of the member bearer token. */
    tokenHash: text().notNull().unique(),
  },
  (t) => [
    check("members_invite_quota_nonnegative", sql`invite_quota >= 0`),
    // Per phase: counts against capacity, admissions per day and today (the phase page, the cap).
    index("members_phase_id_admitted_at_idx").on(t.phaseId, t.admittedAt),
    index("members_admitted_at_idx").on(t.admittedAt),
  ],
);

export const quotaReason = pgEnum("quota_reason", ["phase_topup", "grant", "invite_sent", "invite_refund", "adjustment"]);
export type QuotaReason = (typeof quotaReason.enumValues)[number];

export const quotaLedger = pgTable(
  "quota_ledger",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    memberId: uuid()
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    delta: integer().notNull(),
    reason: quotaReason().notNull(),
    invitationId: uuid().references((): AnyPgColumn => invitations.id, { onDelete: "set null" }),
    batchId: uuid().references((): AnyPgColumn => batches.id, { onDelete: "set null" }),
    /** "staff:<id>", "member:<id>" or "system". */
    actor: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("quota_ledger_delta_nonzero", sql`delta <> 0`),
    index("quota_ledger_member_id_idx").on(t.memberId),
    index("quota_ledger_invitation_id_idx").on(t.invitationId).where(sql`invitation_id is not null`),
    index("quota_ledger_batch_id_idx").on(t.batchId).where(sql`batch_id is not null`),
  ],
);

export type Member = typeof members.$inferSelect;
export type QuotaLedgerEntry = typeof quotaLedger.$inferSelect;
