// A failed or unknown notification keeps its (sealed) code so staff can retry it — but only while
// the code can still be used. Once it cannot, the notification is settled and its code is erased
// (SPEC §3.8): sent rows are wiped when marked sent; this sweep settles the rest. Rows are found
// through the attention index (status failed/unknown), so the sweep stays cheap at any size.
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { isSealed } from "@/lib/secret-box";
import { sealNotificationCode } from "./code-secret";

/**
 * Erases the codes of failed/unknown notifications whose code is dead: a verification code once
 * its registration no longer waits for it (verified, lapsed, erased, window passed) or a newer
 * code was sent; an invitation code once its invitation is no longer live (redeemed, revoked,
 * expired, replaced). Returns how many codes were erased.
 */
export async function eraseSettledNotificationCodes(db: Database, now: Date = new Date()): Promise<number> {
  const at = now.toISOString();
  const rows = await db.execute<{ n: number }>(sql`
    with settled as (
      update notifications n set secret = null
      where n.status in ('failed', 'unknown') and n.secret is not null
        and case when n.kind = 'verification_code' then
          not exists (
            select 1 from registrations r
            where r.id = n.registration_id and r.verification_code_hash is not null
              and r.verification_expires_at > ${at}::timestamptz)
          or exists (
            select 1 from notifications newer
            where newer.registration_id = n.registration_id and newer.kind = 'verification_code'
              and newer.created_at > n.created_at)
        else
          not exists (
            select 1 from invitations i
            where i.id = n.invitation_id and i.status in ('pending', 'sent') and i.expires_at > ${at}::timestamptz)
        end
      returning 1)
    select count(*)::int as n from settled`);
  return rows[0]?.n ?? 0;
}

/**
 * Seals the codes of failed/unknown notifications written before codes were sealed (the only
 * rows where an old plain code can wait: pending ones are sent, and wiped, within moments).
 */
export async function sealLegacyNotificationCodes(db: Database, options: { chunk?: number } = {}): Promise<number> {
  const chunk = options.chunk ?? 1_000;
  let total = 0;
  for (;;) {
    const rows = await db.execute<{ id: string; secret: string }>(sql`
      select id, secret from notifications
      where status in ('failed', 'unknown') and secret is not null and secret not like 'v1.%'
      limit ${chunk}`);
    const legacy = rows.filter((r) => !isSealed(r.secret));
    if (legacy.length === 0) return total;
    const ids = legacy.map((r) => r.id);
    const plain = legacy.map((r) => r.secret);
    const sealed = legacy.map((r) => sealNotificationCode(r.secret));
    // Only where the row still holds the value read (a concurrent settle or send wins).
    await db.execute(sql`
      update notifications n set secret = s.sealed
      from unnest(${sql.param(ids)}::uuid[], ${sql.param(plain)}::text[], ${sql.param(sealed)}::text[]) as s(id, plain, sealed)
      where n.id = s.id and n.secret = s.plain`);
    total += legacy.length;
    if (rows.length < chunk) return total;
  }
}
