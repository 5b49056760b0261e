// admit_next batches against a real queue: order, chunks, exclusions, truncation, concurrency.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createBatch } from "../../lib/batches/create-batch";
import { runBatchChunk } from "../../lib/batches/run";
import { redeemInvitation } from "../../lib/invitations/redeem";
import { activatePhase } from "../../lib/phases/activate-phase";
import { createPhase } from "../../lib/phases/create-phase";
import type { Actor } from "../../lib/auth/roles";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertRegistration, insertStaff } from "../helpers/factories";
import { openNotificationCode } from "../../lib/notifications/code-secret";

let t: TestDatabase;
let growth: Actor;
let product: Actor;
let keySeq = 0;
const key = () => `test-key-${Date.now()}-${++keySeq}`;

beforeAll(async () => {
  t = await createTestDatabase();
  growth = await insertStaff(t.db, "growth");
  product = await insertStaff(t.db, "product");
});
afterAll(async () => {
  await t.drop();
});

/** Clears every admission so each test starts with an empty queue and a fresh phase. */
async function freshQueue(phase: Parameters<typeof createPhase>[2] = { slug: `p-${++keySeq}`, name: "Wave", kind: "closed" }) {
  await t.sql`update phases set status = 'closed' where status = 'active'`;
  await t.sql`delete from notifications`;
  await t.sql`delete from quota_ledger`;
  await t.sql`delete from members`;
  await t.sql`delete from invitations`;
  await t.sql`delete from registrations`;
  const created = await createPhase(t.db, product, phase);
  return activatePhase(t.db, product, created.id);
}

async function runToEnd(batchId: string, chunkSize = 10_000) {
  for (let i = 0; i < 10_000; i++) {
    const { done, batch } = await runBatchChunk(t.db, batchId, { chunkSize });
    if (done) return batch;
  }
  throw new Error("batch did not finish");
}

/** n waiting registrations, one second apart in queue order. */
async function queue(n: number, overrides: Parameters<typeof insertRegistration>[1] = {}) {
  const base = Date.parse("2026-01-01T00:00:00Z");
  const rows = [];
  for (let i = 0; i < n; i++) rows.push(await insertRegistration(t.db, { queuedAt: new Date(base + (keySeq * 1000 + i) * 1000), ...overrides }));
  return rows;
}

describe("admit_next", () => {
  beforeEach(async () => {
    await freshQueue();
  });

  it("invites the head of the queue in order, in chunks, with one invitation and one outbox message each", async () => {
    const rows = await queue(25);
    await t.sql`update registrations set boost_points = 5 where id = ${rows[20]!.id}`;
    const preview = await createBatch(t.db, growth, { kind: "admit_next", size: 10, dryRun: true }, null);
    expect(preview.dryRun && preview.preview).toMatchObject({ selected: 10, firstPosition: 1, lastPosition: 10, truncatedReason: null });

    const result = await createBatch(t.db, growth, { kind: "admit_next", size: 10 }, key());
    if (result.dryRun) throw new Error("expected a batch");
    const batch = await runToEnd(result.batch.id, 3);
    expect(batch).toMatchObject({ status: "completed", requested: 10, selected: 10, invited: 10, notified: 10, failed: 0 });

    const invited = await t.sql<{ id: string }[]>`select id from registrations where status = 'invited'`;
    const expected = [rows[20]!.id, ...rows.slice(0, 9).map((r) => r.id)];
    expect(invited.map((r) => r.id).sort()).toEqual(expected.sort());
    const [counts] = await t.sql<{ inv: number; notes: number; codes: number; secrets: number }[]>`
      select (select count(*)::int from invitations where batch_id = ${batch.id} and status = 'pending') as inv,
             (select count(*)::int from notifications where kind = 'invitation') as notes,
             (select count(distinct code_hash)::int from invitations) as codes,
             (select count(*)::int from notifications where secret like 'v1.%') as secrets`;
    expect(counts).toEqual({ inv: 10, notes: 10, codes: 10, secrets: 10 });
    // Codes made for the bulk statement are hashed and sealed as one: the message's code redeems.
    const [note] = await t.sql<{ secret: string; phone: string }[]>`select secret, recipient as phone from notifications where kind = 'invitation' limit 1`;
    const code = openNotificationCode(note!.secret)!;
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    await expect(redeemInvitation(t.db, { code, phone: note!.phone })).resolves.toHaveProperty("memberToken");
    // The waitlist counts followed the statement exactly.
    const [counted] = await t.sql<{ n: number }[]>`select coalesce(sum(n), 0)::int as n from waitlist_counts`;
    expect(counted!.n).toBe(15);
    const [audit] = await t.sql<{ action: string }[]>`select action from audit_events where target_id = ${batch.id}`;
    expect(audit!.action).toBe("batch.create");
  });

  it("passes over held and ineligible people and says so in the preview", async () => {
    await t.sql`update phases set platforms = '{ios}' where status = 'active'`;
    const rows = await queue(12, { platform: "ios" });
    await t.sql`update registrations set review = 'hold' where id = ${rows[0]!.id}`;
    await t.sql`update registrations set platform = 'android' where id in (${rows[1]!.id}, ${rows[2]!.id})`;
    const preview = await createBatch(t.db, growth, { kind: "admit_next", size: 5, dryRun: true }, null);
    expect(preview.dryRun && preview.preview).toMatchObject({ selected: 5, firstPosition: 4, lastPosition: 8, excluded: { hold: 1, ineligible: 2 } });
    const result = await createBatch(t.db, growth, { kind: "admit_next", size: 5 }, key());
    if (result.dryRun) throw new Error("expected a batch");
    await runToEnd(result.batch.id);
    const statuses = await t.sql<{ id: string; status: string }[]>`select id, status from registrations`;
    const byId = new Map(statuses.map((s) => [s.id, s.status]));
    expect([0, 1, 2].map((i) => byId.get(rows[i]!.id))).toEqual(["waiting", "waiting", "waiting"]);
    expect(rows.slice(3, 8).map((r) => byId.get(r.id))).toEqual(Array(5).fill("invited"));
  });

  it("filters by country, platform and registration date", async () => {
    await queue(4);
    const gb = await queue(3, { phoneCountry: "GB" });
    const result = await createBatch(t.db, growth, { kind: "admit_next", size: 10, filters: { country: "gb" } }, key());
    if (result.dryRun) throw new Error("expected a batch");
    const batch = await runToEnd(result.batch.id);
    expect(batch).toMatchObject({ status: "completed", selected: 3, truncatedReason: "only 3 admissible registrations were left" });
    const invited = await t.sql<{ id: string }[]>`select id from registrations where status = 'invited' order by id`;
    expect(invited.map((r) => r.id)).toEqual(gb.map((r) => r.id).sort());
  });

  it("truncates at the phase capacity and says why", async () => {
    await t.sql`update phases set capacity = 7 where status = 'active'`;
    await queue(20);
    const preview = await createBatch(t.db, growth, { kind: "admit_next", size: 10, dryRun: true }, null);
    expect(preview.dryRun && preview.preview).toMatchObject({ selected: 7, excluded: { capacity: 3 }, lastPosition: 7 });
    const result = await createBatch(t.db, growth, { kind: "admit_next", size: 10 }, key());
    if (result.dryRun) throw new Error("expected a batch");
    const batch = await runToEnd(result.batch.id, 4);
    expect(batch).toMatchObject({ status: "completed", selected: 7, invited: 7 });
    expect(batch.truncatedReason).toMatch(/capacity/);
  });

  it("truncates at the daily admission cap, counting today's earlier invitations", async () => {
    await t.sql`update phases set daily_admission_cap = 6 where status = 'active'`;
    await queue(20);
    const first = await createBatch(t.db, growth, { kind: "admit_next", size: 4 }, key());
    if (first.dryRun) throw new Error("expected a batch");
    expect(await runToEnd(first.batch.id)).toMatchObject({ selected: 4, truncatedReason: null });
    const second = await createBatch(t.db, growth, { kind: "admit_next", size: 4 }, key());
    if (second.dryRun) throw new Error("expected a batch");
    const batch = await runToEnd(second.batch.id);
    expect(batch).toMatchObject({ status: "completed", selected: 2 });
    expect(batch.truncatedReason).toMatch(/daily admission cap/);
  });

  it("admits only allow-listed employee phones in an internal phase", async () => {
    const rows = await queue(6);
    await freshInternal([rows[1]!.phone!, rows[4]!.phone!]);
    const result = await createBatch(t.db, growth, { kind: "admit_next", size: 6 }, key());
    if (result.dryRun) throw new Error("expected a batch");
    const batch = await runToEnd(result.batch.id);
    expect(batch.selected).toBe(2);
    const invited = await t.sql<{ id: string }[]>`select id from registrations where status = 'invited' order by id`;
    expect(invited.map((r) => r.id)).toEqual([rows[1]!.id, rows[4]!.id].sort());
  });

  it("never invites anyone twice when two batches run at the same time", async () => {
    await t.sql`insert into registrations (phone, phone_hash, phone_country, platform, referral_code, status, queued_at)
      select '+3370' || lpad(g::text, 7, '0'), 'h' || g, 'FR', 'android', 'C' || g, 'waiting', now() - (g || ' seconds')::interval
      from generate_series(1, 3000) g`;
    const a = await createBatch(t.db, growth, { kind: "admit_next", size: 2000 }, key());
    const b = await createBatch(t.db, growth, { kind: "admit_next", size: 2000 }, key());
    if (a.dryRun || b.dryRun) throw new Error("expected batches");
    const [ra, rb] = await Promise.all([runToEnd(a.batch.id, 250), runToEnd(b.batch.id, 250)]);
    expect(ra.selected + rb.selected).toBe(3000);
    const [check] = await t.sql<{ invitations: number; distinct_regs: number; invited: number; waiting: number }[]>`
      select (select count(*)::int from invitations) as invitations,
             (select count(distinct registration_id)::int from invitations) as distinct_regs,
             (select count(*)::int from registrations where status = 'invited') as invited,
             (select count(*)::int from registrations where status = 'waiting') as waiting`;
    expect(check).toEqual({ invitations: 3000, distinct_regs: 3000, invited: 3000, waiting: 0 });
  });
});

async function freshInternal(allowedPhones: string[]) {
  await t.sql`update phases set status = 'closed' where status = 'active'`;
  const phase = await createPhase(t.db, product, { slug: `internal-${++keySeq}`, name: "Employees", kind: "internal", allowedPhones });
  await activatePhase(t.db, product, phase.id);
}
