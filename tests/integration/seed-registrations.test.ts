// The bulk seed: the mix it promises and every invariant of the schema it must keep.
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedPhone, SEED_PHONE_CAPACITY } from "../../scripts/seed/phones";
import { countInvariantViolations } from "../../scripts/seed/invariants";
import { seedRegistrations, waitlistCountCheck, type SeedResult } from "../../scripts/seed/registrations";
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

  it("keeps every invariant of the schema (bucket counts, referrals, invitations, members, ledger, erasure, decisions)", async () => {
    const violations = await countInvariantViolations(t.sql);
    expect(Object.values(violations).every((n) => n === 0), JSON.stringify(violations)).toBe(true);
    const { counted, waiting } = await waitlistCountCheck(t.sql);
    expect(counted).toBe(waiting);
    const [row] = await t.sql<{ members: number; erased: number; legacy: number; held: number; referred: number }[]>`
      select (select count(*) from members)::int as members,
             (select count(*) from registrations where erased_at is not null)::int as erased,
             (select count(*) from registrations where legacy_claim)::int as legacy,
             (select count(*) from registrations where review = 'hold')::int as held,
             (select count(*) from registrations where referred_by is not null)::int as referred`;
    expect(row!.members).toBe(first.byStatus.admitted);
    // Each case the invariants speak about is really present in the data.
    expect(row!.erased).toBeGreaterThan(0);
    expect(row!.legacy).toBeGreaterThan(0);
    expect(row!.held).toBeGreaterThan(0);
    expect(row!.referred).toBeGreaterThan(COUNT * 0.25);
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
