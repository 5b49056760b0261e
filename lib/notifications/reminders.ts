// Invitation reminders (SPEC §3.7, policy `reminderHoursBeforeExpiry`): once per invitation, N
// hours before it expires, while it is still unredeemed. Only invitations whose message went out
// (`sent`) and that were issued at least N hours before their expiry (a 2-hour invitation gets no
// "expires in 24 hours" reminder). "Once" = no reminder row exists yet for the invitation; runs
// are serialized by an advisory lock so two workers cannot both insert one.
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";

const REMINDER_LOCK = 7243021;

export async function enqueueInvitationReminders(db: Database, options: { limit?: number } = {}): Promise<number> {
  const limit = options.limit ?? 5000;
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${REMINDER_LOCK})`);
    const [policy] = await tx.execute<{ hours: number | null }>(
      sql`select reminder_hours_before_expiry as hours from policy_settings where id = 1`,
    );
    const hours = policy?.hours;
    if (!hours || hours <= 0) return 0;
    const inserted = await tx.execute<{ id: string }>(sql`
      with due as (
        select i.id as invitation_id, i.registration_id, r.phone, r.locale, p.name as phase_name, i.expires_at
        from invitations i
        join registrations r on r.id = i.registration_id
        join phases p on p.id = i.phase_id
        where i.status = 'sent'
          and i.expires_at > now()
          and i.expires_at <= now() + make_interval(hours => ${hours})
          and i.created_at <= i.expires_at - make_interval(hours => ${hours})
          and r.phone is not null
          and not exists (
            select 1 from notifications n where n.invitation_id = i.id and n.kind = 'invitation_reminder'
          )
        order by i.expires_at
        limit ${limit}
      )
      insert into notifications (kind, channel, registration_id, invitation_id, recipient, locale, params)
      select 'invitation_reminder', 'sms', registration_id, invitation_id, phone, locale,
             jsonb_build_object(
               'phaseName', phase_name,
               'expiresAt', to_char(expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
      from due
      returning id`);
    return inserted.length;
  });
}
