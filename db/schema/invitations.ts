import { sql } from "drizzle-orm";
import { index, pgEnum, pgTable, timestamp, text, uniqueIndex, uuid, type AnyPgColumn } from "drizzle-orm/pg-core";
import { batches } from "./batches";
import { members } from "./members";
import { phases } from "./phases";
import { registrations } from "./registrations";

export const invitationSource = pgEnum("invitation_source", ["batch", "member", "staff"]);
export type InvitationSource = (typeof invitationSource.enumValues)[number];

export const invitationStatus = pgEnum("invitation_status", ["pending", "sent", "redeemed", "expired", "revoked"]);
export type InvitationStatus = (typeof invitationStatus.enumValues)[number];

/** Lets one specific phone in. The code itself is never stored, only its hash. */
export const invitations = pgTable(
  "invitations",
  {
    id: uuid().primaryKey().defaultRandom(),
    registrationId: uuid()
      .notNull()
      .references(() => registrations.id, { onDelete: "cascade" }),
    phaseId: uuid()
      .notNull()
      .references(() => phases.id, { onDelete: "restrict" }),
    source: invitationSource().notNull(),
    batchId: uuid().references((): AnyPgColumn => batches.id, { onDelete: "set null" }),
    inviterMemberId: uuid().references((): AnyPgColumn => members.id, { onDelete: "set null" }),
    status: invitationStatus().notNull().default("pending"),
    codeHash: text().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    sentAt: timestamp({ withTimezone: true }),
    redeemedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // At most one live invitation per registration.
    uniqueIndex("invitations_live_registration_key")
      .on(t.registrationId)
      .where(sql`status in ('pending', 'sent')`),
    uniqueIndex("invitations_code_hash_key").on(t.codeHash),
    index("invitations_registration_id_idx").on(t.registrationId),
    // Per phase: by status (capacity, the phase page) and issued since a time (the daily cap, the
    // forecast's pace), each one index range.
    index("invitations_phase_id_status_created_at_idx").on(t.phaseId, t.status, t.createdAt),
    index("invitations_batch_id_idx").on(t.batchId).where(sql`batch_id is not null`),
    index("invitations_inviter_member_id_idx").on(t.inviterMemberId).where(sql`inviter_member_id is not null`),
    // The expiry sweep reads live invitations by expiry.
    index("invitations_live_expires_at_idx")
      .on(t.expiresAt)
      .where(sql`status in ('pending', 'sent')`),
  ],
);

export type Invitation = typeof invitations.$inferSelect;
