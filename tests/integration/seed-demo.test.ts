// The demo data set of `npm start -- --demo`: every status present, every invariant kept.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemoData, type DemoSummary } from "../../scripts/seed/demo";
import { countInvariantViolations } from "../../scripts/seed/invariants";
import { createTestDatabase, type TestDatabase } from "../helpers/database";

let t: TestDatabase;
let summary: DemoSummary;
beforeAll(async () => {
  t = await createTestDatabase();
  summary = await loadDemoData(t.db);
});
afterAll(async () => {
  await t.drop();
});

describe("loadDemoData", () => {
  it("loads ~5,000 registrations in every status, with members, phases and a finished batch", async () => {
    expect(summary.registrations).toBe(5_000);
    const statuses = await t.sql<{ status: string }[]>`select distinct status::text from registrations order by 1`;
    expect(statuses.map((s) => s.status)).toEqual(["admitted", "blocked", "expired", "invited", "lapsed", "pending_verification", "removed", "waiting"]);
    const phases = await t.sql<{ slug: string; kind: string; status: string }[]>`select slug, kind::text, status::text from phases order by slug`;
    expect(phases).toEqual([
      { slug: "open-beta", kind: "open", status: "draft" },
      { slug: "staff-dogfood", kind: "internal", status: "closed" },
      { slug: "wave-1", kind: "closed", status: "active" },
    ]);
    const [batch] = await t.sql<{ status: string; selected: number; invited: number; linked: number }[]>`
      select b.status::text, b.selected, b.invited, (select count(*)::int from invitations i where i.batch_id = b.id) as linked from batches b`;
    expect(batch!.status).toBe("completed");
    expect(batch!.linked).toBe(batch!.selected);
    expect(batch!.invited).toBe(batch!.selected);
    const [counts] = await t.sql<{ members: number; held: number; legacy: number; notifications: number; audit: number; unknown: number }[]>`
      select (select count(*)::int from members) as members,
             (select count(*)::int from registrations where review = 'hold' and status = 'waiting') as held,
             (select count(*)::int from registrations where legacy_claim) as legacy,
             (select count(*)::int from notifications) as notifications,
             (select count(*)::int from audit_events) as audit,
             (select count(*)::int from notifications where status in ('failed', 'unknown')) as unknown`;
    expect(counts!.members).toBe(summary.members);
    expect(counts!.held).toBeGreaterThan(0);
    expect(counts!.legacy).toBeGreaterThan(0);
    expect(counts!.notifications).toBeGreaterThan(4_000);
    expect(counts!.unknown).toBeGreaterThan(0);
    expect(counts!.audit).toBeGreaterThan(5);
  });

  it("keeps every invariant of the schema", async () => {
    const violations = await countInvariantViolations(t.sql);
    expect(Object.values(violations).every((n) => n === 0), JSON.stringify(violations)).toBe(true);
    const [referred] = await t.sql<{ n: number }[]>`select count(*)::int as n from registrations where referred_by is not null`;
    expect(referred!.n).toBeGreaterThan(100);
  });

  it("refuses a database that already has registrations", async () => {
    await expect(loadDemoData(t.db)).rejects.toThrow(/empty database/);
  });
});
