// The prefix-hold rule (SPEC §3.2 rule 7): a number prefix with at least prefixHoldMinSends
// codes in the last hour of which fewer than prefixHoldMaxVerifiedPct % were verified is held —
// no more codes to it (the request path reads the holds with the policy snapshot) and its new
// registrations get review = hold — until an admin releases it.
//
// Evaluated by the SMS statistics job once a minute, on the 5-minute buckets it just folded,
// not per registration: conversion needs the minutes people take to type their code, so a
// per-request verdict would be both expensive and premature, and between two runs the hourly
// prefix budget already caps what a burst can spend.
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { forgetPolicySnapshots } from "./load-policy-snapshot";

export type HeldPrefix = {
  prefix: string;
  country: string;
  sends: number;
  verified: number;
  reason: string;
};

/** Holds the prefixes whose conversion collapsed; returns those newly held. */
export async function holdCollapsedPrefixes(db: Database, now: Date = new Date()): Promise<HeldPrefix[]> {
  const at = now.toISOString();
  const held = await db.transaction(async (tx) => {
    // A released prefix is judged only on codes sent after its release.
    const rows = await tx.execute<HeldPrefix>(sql`
      with policy as (
        select prefix_hold_min_sends as min_sends, prefix_hold_max_verified_pct as max_pct from policy_settings where id = 1),
      recent as (
        select s.prefix, min(s.country) as country, sum(s.sends)::int as sends, sum(s.verifications)::int as verified
        from sms_send_stats s
        left join sms_prefix_holds h on h.prefix = s.prefix
        where s.bucket >= ${at}::timestamptz - interval '1 hour'
          and (h.prefix is null or (h.status = 'released' and s.bucket >= h.released_at))
        group by s.prefix),
      collapsed as (
        select r.*, format('%s of %s codes verified (%s %%) in the last hour; the policy holds a prefix under %s %% once it has %s codes',
                           r.verified, r.sends, round(100.0 * r.verified / r.sends, 1), p.max_pct, p.min_sends) as reason
        from recent r, policy p
        where r.sends >= p.min_sends and r.verified * 100 < p.max_pct * r.sends)
      insert into sms_prefix_holds as h (prefix, country, status, reason, sends, verified, held_at)
      select prefix, country, 'held', reason, sends, verified, ${at}::timestamptz from collapsed
      on conflict (prefix) do update
        set status = 'held', reason = excluded.reason, sends = excluded.sends, verified = excluded.verified,
            held_at = excluded.held_at, released_at = null, released_by = null
        where h.status = 'released'
      returning h.prefix, h.country, h.sends, h.verified, h.reason`);
    for (const row of rows) {
      await recordAudit(tx, { actor: null, action: "policy.prefix_hold", targetType: "sms_prefix", targetId: row.prefix, after: row });
    }
    return [...rows];
  });
  if (held.length > 0) forgetPolicySnapshots();
  return held;
}
