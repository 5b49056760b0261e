import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { tsParam } from "@/lib/phases/admission";
import { subscribedEndpointIds, webhookDeliveriesInsertSql } from "@/lib/webhooks/record-webhook-event";

export interface ExpirySweepResult {
  expired: number;
  requeued: number;
  keptExpired: number;
  refunded: number;
}

/**
 * The expiry sweep (SPEC §3.4), one bounded chunk per call (the job loops until it returns
 * fewer than `limit`): live invitations past `expiresAt` become `expired`; a member's invite
 * unit comes back (ledger row + balance in the same statement); the registration returns to
 * `waiting` when its phase auto-reactivates — `original` keeps its queuedAt, so it is back at
 * the very place it left; `back` queues it now, at the end — otherwise it stays `expired` for
 * staff. Each expiry is announced (`invitation.expired`) in the same statement. SKIP LOCKED lets
 * a redemption in progress win over the sweep.
 */
export async function expireInvitations(db: Database, options: { now?: Date; limit?: number } = {}): Promise<ExpirySweepResult> {
  const now = options.now ?? new Date();
  const limit = options.limit ?? 5000;
  // `invitation.expired` for each, in the same statement, only when some endpoint subscribes.
  const subscribers = await subscribedEndpointIds(db, "invitation.expired");
  const announced = subscribers.length
    ? sql`, announced as (${webhookDeliveriesInsertSql(
        "invitation.expired",
        subscribers,
        sql`select jsonb_build_object('invitationId', e.id, 'registrationId', e.registration_id, 'phaseSlug', p.slug,
                                      'expiresAt', to_char(e.expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) as data
            from expired e join phases p on p.id = e.phase_id`,
        { occurredAt: now },
      )})`
    : sql``;
  const [row] = await db.execute<{ expired: number; requeued: number; kept: number; refunded: number }>(sql`
    with due as (
      select i.id from invitations i
      where i.status in ('pending', 'sent') and i.expires_at <= ${tsParam(now)}
      order by i.expires_at
      limit ${limit}
      for update skip locked
    ), expired as (
      update invitations i set status = 'expired'
      from due where i.id = due.id
      returning i.id, i.registration_id, i.phase_id, i.inviter_member_id, i.expires_at
    ), moved as (
      update registrations r
      set status = case when p.auto_reactivate_expired then 'waiting'::registration_status else 'expired'::registration_status end,
          queued_at = case when p.auto_reactivate_expired and p.expired_placement = 'back' then ${tsParam(now)} else coalesce(r.queued_at, ${tsParam(now)}) end,
          status_changed_at = ${tsParam(now)}
      from expired e join phases p on p.id = e.phase_id
      where r.id = e.registration_id and r.status = 'invited'
      returning r.status
    ), refunds as (
      select inviter_member_id as member_id, count(*)::int as n from expired
      where inviter_member_id is not null group by inviter_member_id
    ), credited as (
      update members m set invite_quota = m.invite_quota + refunds.n
      from refunds where m.id = refunds.member_id
      returning m.id
    ), ledger as (
      insert into quota_ledger (member_id, delta, reason, invitation_id, actor)
      select e.inviter_member_id, 1, 'invite_refund', e.id, 'system'
      from expired e join credited c on c.id = e.inviter_member_id
      returning 1
    )${announced}
    select (select count(*) from expired)::int as expired,
           (select count(*) from moved where status = 'waiting')::int as requeued,
           (select count(*) from moved where status = 'expired')::int as kept,
           (select count(*) from ledger)::int as refunded`);
  return { expired: row!.expired, requeued: row!.requeued, keptExpired: row!.kept, refunded: row!.refunded };
}

/** Runs the sweep until nothing is due (the scheduled job). */
export async function expireAllDueInvitations(db: Database, now = new Date()): Promise<ExpirySweepResult> {
  const total: ExpirySweepResult = { expired: 0, requeued: 0, keptExpired: 0, refunded: 0 };
  const limit = 5000;
  for (;;) {
    const r = await expireInvitations(db, { now, limit });
    total.expired += r.expired;
    total.requeued += r.requeued;
    total.keptExpired += r.keptExpired;
    total.refunded += r.refunded;
    if (r.expired < limit) return total;
  }
}
