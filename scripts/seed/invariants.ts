// Invariants every data set must keep, as queries counting the rows that break them. The seed
// tests run them after the bulk seed and the demo load; any other tool may run them too.
import type postgres from "postgres";

const CHECKS: Record<string, string> = {
  /** Bucket counts (after folding delta rows) equal the waiting registrations per bucket. */
  waitlistCounts: `
    with actual as (
      select priority, date_trunc('hour', queued_at, 'UTC') as bucket, count(*) as n
      from registrations where status = 'waiting' group by 1, 2),
    counted as (select priority, bucket, sum(n) as n from waitlist_counts group by 1, 2 having sum(n) <> 0)
    select count(*) from actual full join counted using (priority, bucket) where actual.n is distinct from counted.n`,
  /** Referral points = verified referrals (referralBoost 1), capped at 10. */
  referralPoints: `
    select count(*) from (
      select r.id from registrations r left join registrations f on f.referred_by = r.id and f.verified_at is not null
      group by r.id having r.referral_points <> least(10, count(f.id))) wrong`,
  invitedWithoutOneLiveInvitation: `
    select count(*) from registrations r where status = 'invited' and (select count(*) from invitations i
      where i.registration_id = r.id and i.status in ('pending', 'sent') and i.expires_at > now()) <> 1`,
  liveInvitationNotInvited: `
    select count(*) from invitations i join registrations r on r.id = i.registration_id
    where i.status in ('pending', 'sent') and r.status <> 'invited'`,
  expiredWithoutExpiredInvitation: `
    select count(*) from registrations r where status = 'expired' and not exists (select 1 from invitations i
      where i.registration_id = r.id and i.status = 'expired' and i.expires_at < now())`,
  admittedWithoutMemberOrRedemption: `
    select count(*) from registrations r where status = 'admitted' and (
      not exists (select 1 from members m where m.registration_id = r.id)
      or not exists (select 1 from invitations i where i.registration_id = r.id and i.status = 'redeemed'))`,
  memberNotAdmitted: `
    select count(*) from members m join registrations r on r.id = m.registration_id where r.status <> 'admitted'`,
  quotaNotLedgerSum: `
    select count(*) from (
      select m.id from members m left join quota_ledger l on l.member_id = m.id
      group by m.id having m.invite_quota <> coalesce(sum(l.delta), 0)) wrong`,
  timestampsOutOfOrder: `
    select count(*) from registrations
    where created_at > now() or status_changed_at > now()
       or (queued_at is not null and (queued_at < created_at or verified_at is null))
       or (status in ('waiting', 'invited', 'admitted', 'expired', 'removed') and queued_at is null)
       or (status = 'pending_verification' and (verification_expires_at is null or verification_code_hash is null))`,
  personalDataKeptPastRetention: `
    select count(*) from registrations
    where status in ('lapsed', 'removed') and erased_at is null and status_changed_at < now() - interval '31 days'`,
  erasedWithPersonalData: `
    select count(*) from registrations where erased_at is not null and (phone is not null or email is not null)`,
  legacyClaimWithoutDecision: `
    select count(*) from registrations r where legacy_claim and not exists (select 1 from policy_decisions d
      where d.registration_id = r.id and d.kind = 'legacy_claim_ignored')`,
  holdWithoutDecision: `
    select count(*) from registrations r where review = 'hold' and not exists (select 1 from policy_decisions d
      where d.registration_id = r.id and d.kind = 'screening' and d.outcome = 'hold')`,
  blockedNotOnBlockList: `
    select count(*) from registrations r where status = 'blocked' and not exists (select 1 from blocked_phones b
      where b.phone_hash = r.phone_hash)`,
};

/** Rows breaking each invariant (all zero when the data is consistent). */
export async function countInvariantViolations(sql: postgres.Sql): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const [name, query] of Object.entries(CHECKS)) {
    const [row] = await sql.unsafe<{ count: string }[]>(query);
    result[name] = Number(row!.count);
  }
  return result;
}
