// Codes sent and verifications per 5-minute bucket, country and prefix (sms_send_stats), for
// the Policy page and the prefix-hold rule. Registrations never touch a counter row: they append
// registration_signals rows in statements they already run (PERF.md: a "current hour" row
// updated by every signup is a hot spot). This job folds the new signals in, once a minute, in
// one transaction with its progress mark, so each signal counts exactly once; its cost follows
// the new rows, not the table.
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";

/**
 * Signals are stamped by the app before their statement commits; folding stops this far behind
 * now so a slow commit is not skipped.
 */
const COMMIT_LAG_MS = 30_000;
/** The Policy page shows 24 hours; one more hour covers a window that straddles the boundary. */
const KEEP_HOURS = 25;

/**
 * Folds signals created since the last run (up to now − COMMIT_LAG_MS) into sms_send_stats and
 * drops old buckets. Returns the number of (bucket, country, prefix) rows touched, or null when
 * another worker holds the progress row (it is doing the same work).
 */
export async function aggregateSmsStats(db: Database, now: Date = new Date()): Promise<number | null> {
  const until = new Date(now.getTime() - COMMIT_LAG_MS).toISOString();
  return db.transaction(async (tx) => {
    const [progress] = await tx.execute<{ processed_until: string }>(sql`
      select processed_until from sms_stats_progress where id = 1 for update skip locked`);
    if (!progress) return null;
    if (new Date(progress.processed_until).getTime() >= new Date(until).getTime()) return 0;
    // Raw SQL parameters are sent as text: pass instants as ISO 8601.
    const from = new Date(progress.processed_until).toISOString();
    const folded = await tx.execute<{ n: number }>(sql`
      with folded as (
        insert into sms_send_stats as s (bucket, country, prefix, sends, verifications)
        select date_bin('5 minutes', created_at, timestamptz '2000-01-01'), phone_country, phone_prefix,
               count(*) filter (where code_sent), count(*) filter (where kind = 'verified')
        from registration_signals
        where created_at >= ${from}::timestamptz and created_at < ${until}::timestamptz
          and (code_sent or kind = 'verified') and phone_country is not null
        group by 1, 2, 3
        on conflict (bucket, country, prefix) do update
          set sends = s.sends + excluded.sends, verifications = s.verifications + excluded.verifications
        returning 1)
      select count(*)::int as n from folded`);
    await tx.execute(sql`update sms_stats_progress set processed_until = ${until}::timestamptz where id = 1`);
    await tx.execute(sql`delete from sms_send_stats where bucket < ${now.toISOString()}::timestamptz - make_interval(hours => ${KEEP_HOURS})`);
    return folded[0]?.n ?? 0;
  });
}
