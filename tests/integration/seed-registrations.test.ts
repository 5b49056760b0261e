// The bulk seed: the mix it promises and every invariant of the schema it must keep.
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedPhone, SEED_PHONE_CAPACITY } from "../../db/seed/phones";
import { seedRegistrations, waitlistCountCheck, type SeedResult } from "../../db/seed/registrations";
import { phoneHash } from "../../lib/phone-hash";
import { createTestDatabase, type TestDatabase } from "../helpers/database";

const COUNT = 20_000;
let t: TestDatabase;
let first: SeedResult;
const progress: number[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  first = await seedRegistrations(t.sql, {
    count: COUNT,
    chunkSize: 6_000,
    vacuum: false,
    onProgress: (p) => progress.push(p.inserted),
  });
});
afterAll(async () => {
  await t.drop();
});

describe("seedRegistrations", () => {
  it("reports progress per chunk and the counts per status", () => {
    expect(progress).toEqual([6_000, 12_000, 18_000, 20_000]);
    expect(Object.values(first.byStatus).reduce((a, b) => a + b, 0)).toBe(COUNT);
  });

  it("loads the promised mix of statuses and priorities", async () => {
    const share = (status: string) => (first.byStatus[status] ?? 0) / COUNT;
    expect(share("waiting")).toBeGreaterThan(0.925);
    expect(share("waiting")).toBeLessThan(0.955);
    for (const status of ["invited", "admitted", "pending_verification", "lapsed", "expired", "removed"]) {
      expect(share(status), status).toBeGreaterThan(0);
      expect(share(status), status).toBeLessThan(0.03);
    }
    const rows = await t.sql<{ priority: number; n: number }[]>`
      select priority, count(*)::int as n from registrations group by priority order by priority`;
    expect(rows.map((r) => r.priority)).toEqual([0, 1, 5, 10]);
    const byPriority = Object.fromEntries(rows.map((r) => [r.priority, r.n / COUNT]));
    expect(byPriority[0]).toBeCloseTo(0.9, 2);
    expect(byPriority[1]).toBeCloseTo(0.07, 2);
    expect(byPriority[5]).toBeCloseTo(0.02, 2);
    expect(byPriority[10]).toBeCloseTo(0.01, 2);
  });

  it("keeps the waitlist bucket counts exact", async () => {
    const { counted, waiting } = await waitlistCountCheck(t.sql);
    expect(counted).toBe(waiting);
    const mismatches = await t.sql`
      with actual as (
        select priority, date_trunc('hour', queued_at, 'UTC') as bucket, count(*) as n
        from registrations where status = 'waiting' group by 1, 2),
      counted as (select priority, bucket, sum(n) as n from waitlist_counts group by 1, 2)
      select * from actual full join counted using (priority, bucket)
      where actual.n is distinct from counted.n`;
    expect(mismatches).toHaveLength(0);
  });

  it("backs every referral point with a verified referral, capped at 10", async () => {
    const wrong = await t.sql`
      select r.id, r.referral_points, count(f.id) as referrals
      from registrations r left join registrations f on f.referred_by = r.id and f.verified_at is not null
      group by r.id having r.referral_points <> least(10, count(f.id))`;
    expect(wrong).toHaveLength(0);
  });

  it("gives invited, expired and admitted registrations the invitations and members they imply", async () => {
    const [row] = await t.sql<{ bad_invited: number; bad_expired: number; bad_admitted: number; live_elsewhere: number }[]>`
      select
        (select count(*) from registrations r where status = 'invited' and (select count(*) from invitations i
           where i.registration_id = r.id and i.status in ('pending', 'sent') and i.expires_at > now()) <> 1)::int as bad_invited,
        (select count(*) from registrations r where status = 'expired' and not exists (select 1 from invitations i
           where i.registration_id = r.id and i.status = 'expired' and i.expires_at < now()))::int as bad_expired,
        (select count(*) from registrations r where status = 'admitted' and (not exists (select 1 from members m
           where m.registration_id = r.id) or not exists (select 1 from invitations i
           where i.registration_id = r.id and i.status = 'redeemed')))::int as bad_admitted,
        (select count(*) from invitations i join registrations r on r.id = i.registration_id
           where i.status in ('pending', 'sent') and r.status <> 'invited')::int as live_elsewhere`;
    expect(row).toEqual({ bad_invited: 0, bad_expired: 0, bad_admitted: 0, live_elsewhere: 0 });
    const ledgerMismatch = await t.sql`
      select m.id from members m left join quota_ledger l on l.member_id = m.id
      group by m.id having m.invite_quota <> coalesce(sum(l.delta), 0)`;
    expect(ledgerMismatch).toHaveLength(0);
    const [members] = await t.sql<{ n: number }[]>`select count(*)::int as n from members`;
    expect(members!.n).toBe(first.byStatus.admitted);
  });

  it("keeps timestamps in their natural order", async () => {
    const [row] = await t.sql<{ bad: number }[]>`
      select count(*)::int as bad from registrations
      where created_at > now() or status_changed_at > now()
         or (queued_at is not null and (queued_at < created_at or verified_at is null))
         or (status in ('waiting', 'invited', 'admitted', 'expired', 'removed') and queued_at is null)
         or (status = 'pending_verification' and (verification_expires_at is null or verification_code_hash is null))`;
    expect(row!.bad).toBe(0);
  });

  it("erases lapsed and removed personal data past retention, keeping the phone hash", async () => {
    const [row] = await t.sql<{ erased: number; stale: number }[]>`
      select count(*) filter (where erased_at is not null and phone is null and email is null and phone_hash <> '')::int as erased,
             count(*) filter (where erased_at is null and status_changed_at < now() - interval '31 days')::int as stale
      from registrations where status in ('lapsed', 'removed')`;
    expect(row!.erased).toBeGreaterThan(0);
    expect(row!.stale).toBe(0);
  });

  it("records the decisions behind legacy claims and holds", async () => {
    const [row] = await t.sql<{ legacy: number; legacy_undecided: number; held: number; held_undecided: number }[]>`
      select
        (select count(*) from registrations where legacy_claim)::int as legacy,
        (select count(*) from registrations r where legacy_claim and not exists (select 1 from policy_decisions d
           where d.registration_id = r.id and d.kind = 'legacy_claim_ignored'))::int as legacy_undecided,
        (select count(*) from registrations where review = 'hold')::int as held,
        (select count(*) from registrations r where review = 'hold' and not exists (select 1 from policy_decisions d
           where d.registration_id = r.id and d.kind = 'screening' and d.outcome = 'hold'))::int as held_undecided`;
    expect(row!.legacy).toBeGreaterThan(0);
    expect(row!.held).toBeGreaterThan(0);
    expect(row!.legacy_undecided).toBe(0);
    expect(row!.held_undecided).toBe(0);
  });

  it("stores valid mobile numbers that the TypeScript mirror predicts, hashed with the instance salt", async () => {
    const rows = await t.sql<{ phone: string; phone_hash: string; phone_country: string }[]>`
      select phone, phone_hash, phone_country from registrations where phone is not null order by random() limit 3000`;
    const [secret] = await t.sql<{ salt: string }[]>`select phone_hash_salt as salt from instance_secrets`;
    const predicted = new Set(Array.from({ length: COUNT }, (_, n) => seedPhone(n).phone));
    const [stored] = await t.sql<{ n: number }[]>`
      select count(*)::int as n from registrations where phone is not null and phone <> all(${[...predicted]}::text[])`;
    expect(stored!.n).toBe(0);
    const countries = new Set<string>();
    for (const row of rows) {
      expect(predicted.has(row.phone), row.phone).toBe(true);
      expect(row.phone_hash).toBe(phoneHash(secret!.salt, row.phone));
      const parsed = parsePhoneNumberFromString(row.phone);
      expect(parsed?.isValid(), row.phone).toBe(true);
      expect(parsed?.country).toBe(row.phone_country);
      expect(["MOBILE", "FIXED_LINE_OR_MOBILE"]).toContain(parsed?.getType());
      countries.add(row.phone_country);
    }
    expect(countries.size).toBe(7);
  });

  it("continues after the rows already there on a second run", async () => {
    const second = await seedRegistrations(t.sql, { count: 3_050, vacuum: false });
    expect(second.phaseId).toBe(first.phaseId);
    const [row] = await t.sql<{ n: number }[]>`select count(*)::int as n from registrations`;
    expect(row!.n).toBe(COUNT + 3_050);
    const { counted, waiting } = await waitlistCountCheck(t.sql);
    expect(counted).toBe(waiting);
  });
});

describe("seedPhone", () => {
  it("numbers the whole capacity without collisions (sampled across the range)", () => {
    const seen = new Set<string>();
    for (let n = 0; n < 50_000; n++) seen.add(seedPhone(n).phone);
    for (let n = SEED_PHONE_CAPACITY - 50_000; n < SEED_PHONE_CAPACITY; n++) seen.add(seedPhone(n).phone);
    expect(seen.size).toBe(100_000);
    expect(SEED_PHONE_CAPACITY).toBeGreaterThan(40_000_000);
    for (const n of [0, 1_234_567, SEED_PHONE_CAPACITY - 1]) {
      const parsed = parsePhoneNumberFromString(seedPhone(n).phone);
      expect(parsed?.isValid()).toBe(true);
    }
    expect(() => seedPhone(SEED_PHONE_CAPACITY)).toThrow(RangeError);
  });
});
