// Batch creation rules (idempotency, preview) and the other kinds: targeted, member_quota,
// reactivate; cancel keeps finished work.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Phase } from "../../db/schema";
import type { Actor } from "../../lib/auth/roles";
import { cancelBatch } from "../../lib/batches/cancel-batch";
import { createBatch } from "../../lib/batches/create-batch";
import type { CreateBatchInput } from "../../lib/batches/batches.schema";
import { runBatchChunk } from "../../lib/batches/run";
import { AppError } from "../../lib/errors";
import { createMember } from "../../lib/members/create-member";
import { activatePhase } from "../../lib/phases/activate-phase";
import { createPhase } from "../../lib/phases/create-phase";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertRegistration, insertStaff } from "../helpers/factories";

let t: TestDatabase;
let growth: Actor;
let support: Actor;
let phase: Phase;
let seq = 0;
const phone = () => `+3363${String(++seq).padStart(7, "0")}`;
const key = () => `kinds-key-${++seq}-${Date.now()}`;

beforeAll(async () => {
  t = await createTestDatabase();
  growth = await insertStaff(t.db, "growth");
  support = await insertStaff(t.db, "support");
  const product = await insertStaff(t.db, "product");
  phase = await activatePhase(t.db, product, (await createPhase(t.db, product, { slug: "kinds", name: "Kinds", kind: "closed" })).id);
});
afterAll(async () => {
  await t.drop();
});
beforeEach(async () => {
  await t.sql`delete from notifications`;
  await t.sql`delete from quota_ledger`;
  await t.sql`delete from members`;
  await t.sql`delete from invitations`;
  await t.sql`delete from batch_failures`;
  await t.sql`delete from registrations`;
});

async function runToEnd(batchId: string, chunkSize = 10_000) {
  for (;;) {
    const { done, batch } = await runBatchChunk(t.db, batchId, { chunkSize });
    if (done) return batch;
  }
}

async function created(body: Parameters<typeof createBatch>[2], idempotencyKey = key()) {
  const result = await createBatch(t.db, growth, body, idempotencyKey);
  if (result.dryRun) throw new Error("expected a batch");
  return result;
}

describe("idempotency", () => {
  it("50 concurrent creates with one key make one batch; the same key with another body is refused", async () => {
    const k = key();
    const body = { kind: "admit_next" as const, size: 5, filters: { country: "FR" } };
    const results = await Promise.all(Array.from({ length: 50 }, () => createBatch(t.db, growth, body, k)));
    const ids = new Set(results.map((r) => (r.dryRun ? null : r.batch.id)));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => !r.dryRun && r.created)).toHaveLength(1);
    const [{ n }] = (await t.sql`select count(*)::int as n from batches where idempotency_key = ${k}`) as unknown as [{ n: number }];
    expect(n).toBe(1);
    const [{ audits }] = (await t.sql`select count(*)::int as audits from audit_events where action = 'batch.create' and target_id = ${[...ids][0]!}`) as unknown as [{ audits: number }];
    expect(audits).toBe(1);
    // Same body written differently (one country as a list) is the same request.
    const again = await createBatch(t.db, growth, { kind: "admit_next", size: 5, filters: { country: ["fr"] } }, k);
    expect(!again.dryRun && again.batch.id).toBe([...ids][0]);
    await expect(createBatch(t.db, growth, { kind: "admit_next", size: 6, filters: { country: "FR" } }, k)).rejects.toMatchObject({ code: "idempotency_mismatch" });
  });

  it("requires a key, and only growth and admin may create", async () => {
    await expect(createBatch(t.db, growth, { kind: "admit_next", size: 1 }, null)).rejects.toMatchObject({ code: "validation" });
    await expect(createBatch(t.db, support, { kind: "admit_next", size: 1 }, key())).rejects.toMatchObject({ code: "forbidden" });
  });

  it("validates the body per kind", async () => {
    // A body the types refuse, as an API client may still send it.
    const body = { kind: "targeted" } as unknown as CreateBatchInput;
    const error = (await createBatch(t.db, growth, body, key()).catch((e) => e)) as AppError;
    expect(error.code).toBe("validation");
    expect(error.fieldErrors).toEqual([{ path: "phones", message: "is required for targeted" }]);
  });
});

describe("targeted", () => {
  it("invites the listed waiting people by phone or id and records why the others were not", async () => {
    const a = await insertRegistration(t.db, { phone: phone() });
    const b = await insertRegistration(t.db, { phone: phone() });
    const held = await insertRegistration(t.db, { phone: phone(), review: "hold" });
    const admitted = await insertRegistration(t.db, { phone: phone(), status: "admitted" });
    // a is listed three times: by two spellings of its phone (one target) and by its id.
    const list = [a.phone!.replace("+33", "0033 "), b.id, held.phone!, admitted.phone!, "+33 6 12 99 99 99", "not a phone", a.phone!, a.id];
    const preview = await createBatch(t.db, growth, { kind: "targeted", phones: list, dryRun: true }, null);
    expect(preview.dryRun && preview.preview).toMatchObject({ selected: 2, excluded: { hold: 1, not_waiting: 1, not_found: 1, duplicate: 1, invalid: 1 } });
    const { batch } = await created({ kind: "targeted", phones: list });
    const done = await runToEnd(batch.id, 2);
    expect(done).toMatchObject({ status: "completed", selected: 2, invited: 2, failed: 5 });
    const failures = await t.sql<{ input: string; reason: string }[]>`select input, reason from batch_failures where batch_id = ${batch.id} order by reason`;
    expect(failures.map((f) => f.reason.split(":")[0])).toEqual(["duplicate", "hold", "invalid_phone", "not_found", "not_waiting"]);
    expect(failures.find((f) => f.reason === "duplicate")!.input).toBe(a.id);
  });
});

describe("member_quota", () => {
  it("adds K invites to every matching member, with one ledger row each, once", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await insertRegistration(t.db, { phone: phone(), status: "admitted" });
      ids.push((await t.db.transaction((tx) => createMember(tx, { registrationId: r.id, phase }))).member.id);
    }
    const { batch } = await created({ kind: "member_quota", amount: 2, filters: { phaseId: phase.id } });
    expect(batch.requested).toBe(5);
    const done = await runToEnd(batch.id, 2);
    expect(done).toMatchObject({ status: "completed", selected: 5 });
    // A retried chunk after completion grants nothing more.
    await t.sql`update batches set status = 'running' where id = ${batch.id}`;
    await runToEnd(batch.id, 2);
    const rows = await t.sql<{ quota: number; ledger: number }[]>`
      select m.invite_quota as quota, (select sum(delta)::int from quota_ledger l where l.member_id = m.id) as ledger from members m`;
    expect(rows).toEqual(Array(5).fill({ quota: 2, ledger: 2 }));
  });
});

describe("reactivate", () => {
  it("re-invites expired registrations with a new code and TTL", async () => {
    const gone = [];
    for (let i = 0; i < 3; i++) gone.push(await insertRegistration(t.db, { phone: phone(), status: "expired" }));
    await insertRegistration(t.db, { phone: phone(), status: "expired", review: "hold" });
    const { batch } = await created({ kind: "reactivate" });
    expect(batch.requested).toBe(3);
    expect(await runToEnd(batch.id)).toMatchObject({ status: "completed", selected: 3, invited: 3, notified: 3 });
    const [row] = await t.sql<{ invited: number; live: number; messages: number }[]>`
      select (select count(*)::int from registrations where status = 'invited') as invited,
             (select count(*)::int from invitations where status = 'pending' and source = 'batch' and expires_at > now() + interval '71 hours') as live,
             (select count(*)::int from notifications where kind = 'reactivation' and secret is not null) as messages`;
    expect(row).toEqual({ invited: 3, live: 3, messages: 3 });
  });
});

describe("cancel", () => {
  it("stops a running batch; chunks already done stay done", async () => {
    await t.sql`insert into registrations (phone, phone_hash, phone_country, platform, referral_code, status, queued_at)
      select '+3364' || lpad(g::text, 7, '0'), 'h' || g, 'FR', 'android', 'K' || g, 'waiting', now() - (g || ' seconds')::interval
      from generate_series(1, 50) g`;
    const { batch } = await created({ kind: "admit_next", size: 40 });
    await runBatchChunk(t.db, batch.id, { chunkSize: 10 });
    await runBatchChunk(t.db, batch.id, { chunkSize: 10 });
    const cancelled = await cancelBatch(t.db, growth, batch.id);
    expect(cancelled).toMatchObject({ status: "cancelled", selected: 20 });
    const next = await runBatchChunk(t.db, batch.id, { chunkSize: 10 });
    expect(next.done).toBe(true);
    const [{ n }] = (await t.sql`select count(*)::int as n from registrations where status = 'invited'`) as unknown as [{ n: number }];
    expect(n).toBe(20);
    await expect(cancelBatch(t.db, growth, batch.id)).rejects.toMatchObject({ code: "invalid_state" });
    await expect(cancelBatch(t.db, support, batch.id)).rejects.toMatchObject({ code: "forbidden" });
  });
});
