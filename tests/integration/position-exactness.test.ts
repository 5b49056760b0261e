// Position is exact (SPEC §3.1): the bucketed position (lib/registrations/position.ts) equals the
// naive count of everyone ahead after any sequence of changes to the waiting set — inserts,
// verifications, boosts, admissions, removals, expiries, reactivations, multi-row statements,
// deletes, compactions — and in every snapshot while concurrent transactions commit or roll back.
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  compactWaitlistCounts,
  naivePositionOf,
  positionOf,
  positionQuery,
  vacuumWaitlistCounts,
  waitingCount,
} from "../../lib/registrations/position";
import type { Database } from "../../db/client";
import { createTestDatabase, type TestDatabase } from "../helpers/database";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

const base = Date.parse("2026-03-01T08:00:00Z");
/** Quarter-hour steps over ten hours: several rows per hour bucket, and exact ties. */
const queueTime = fc.integer({ min: 0, max: 40 }).map((step) => new Date(base + step * 15 * 60_000));
const pick = fc.nat({ max: 1000 });

type Op =
  | { kind: "add"; waiting: boolean; at: Date; boost: number }
  | { kind: "addMany"; count: number; at: Date; boost: number }
  | { kind: "verify"; pick: number; at: Date }
  | { kind: "boost"; pick: number; delta: number }
  | { kind: "admitFirst"; count: number }
  | { kind: "remove"; pick: number }
  | { kind: "expireAll" }
  | { kind: "reactivate"; pick: number; back: boolean; at: Date }
  | { kind: "requeueExpired" }
  | { kind: "boostAll"; delta: number }
  | { kind: "delete"; pick: number }
  | { kind: "compact" };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("add" as const), waiting: fc.boolean(), at: queueTime, boost: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("addMany" as const), count: fc.integer({ min: 2, max: 6 }), at: queueTime, boost: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("verify" as const), pick, at: queueTime }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("boost" as const), pick, delta: fc.integer({ min: -2, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("admitFirst" as const), count: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("remove" as const), pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("expireAll" as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("reactivate" as const), pick, back: fc.boolean(), at: queueTime }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("requeueExpired" as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("boostAll" as const), delta: fc.integer({ min: 1, max: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("delete" as const), pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("compact" as const) }) },
);

const writerOp = op.filter((o) => o.kind !== "compact");

let phoneCounter = 0;
function rowValues(status: "waiting" | "pending_verification", at: Date, boost: number) {
  phoneCounter += 1;
  const phone = `+3367${String(phoneCounter).padStart(7, "0")}`;
  return sql`(${phone}, ${"h" + phone}, 'FR', 'android', ${"P" + phoneCounter}, ${status}::registration_status,
    ${status === "waiting" ? at.toISOString() : null}::timestamptz, ${boost})`;
}

async function idAt(db: Database, index: number): Promise<string | null> {
  const rows = (await db.execute(sql`select id from registrations order by created_at, id offset ${index} limit 1`)) as unknown as { id: string }[];
  return rows[0]?.id ?? null;
}

async function apply(db: Database, o: Op): Promise<void> {
  const columns = sql`(phone, phone_hash, phone_country, platform, referral_code, status, queued_at, boost_points)`;
  const [{ n }] = (await db.execute(sql`select count(*)::int as n from registrations`)) as unknown as [{ n: number }];
  const target = "pick" in o && n > 0 ? await idAt(db, o.pick % n) : null;
  switch (o.kind) {
    case "add":
      await db.execute(sql`insert into registrations ${columns} values ${rowValues(o.waiting ? "waiting" : "pending_verification", o.at, o.boost)}`);
      return;
    case "addMany":
      await db.execute(
        sql`insert into registrations ${columns} values ${sql.join(
          Array.from({ length: o.count }, (_, i) => rowValues(i % 3 === 2 ? "pending_verification" : "waiting", o.at, o.boost)),
          sql`, `,
        )}`,
      );
      return;
    case "verify":
      if (target) await db.execute(sql`update registrations set status = 'waiting', queued_at = ${o.at.toISOString()}::timestamptz where id = ${target} and status = 'pending_verification'`);
      return;
    case "boost":
      if (target) await db.execute(sql`update registrations set boost_points = greatest(0, boost_points + ${o.delta}) where id = ${target}`);
      return;
    case "admitFirst":
      await db.execute(sql`update registrations set status = 'invited' where id in (
        select id from registrations where status = 'waiting' order by priority desc, queued_at, id limit ${o.count})`);
      return;
    case "remove":
      if (target) await db.execute(sql`update registrations set status = 'removed' where id = ${target} and status = 'waiting'`);
      return;
    case "expireAll":
      await db.execute(sql`update registrations set status = 'expired' where status = 'invited'`);
      return;
    case "reactivate":
      if (target) {
        await db.execute(sql`update registrations set status = 'waiting',
          queued_at = case when ${o.back} then ${o.at.toISOString()}::timestamptz else queued_at end
          where id = ${target} and status in ('expired', 'removed')`);
      }
      return;
    case "requeueExpired":
      await db.execute(sql`update registrations set status = 'waiting' where status = 'expired'`);
      return;
    case "boostAll":
      await db.execute(sql`update registrations set referral_points = referral_points + ${o.delta} where status in ('waiting', 'pending_verification')`);
      return;
    case "delete":
      if (target) await db.execute(sql`delete from registrations where id = ${target}`);
      return;
    case "compact":
      await compactWaitlistCounts(db);
      return;
  }
}

/** Every waiting registration's position, three ways, in one snapshot. */
async function checkExact(db: Database): Promise<void> {
  await db.transaction(
    async (tx) => {
      const ordered = (await tx.execute(
        sql`select id from registrations where status = 'waiting' order by priority desc, queued_at, id`,
      )) as unknown as { id: string }[];
      expect(await waitingCount(tx)).toBe(ordered.length);
      for (const [index, { id }] of ordered.entries()) {
        const [fast, naive] = [await positionOf(tx, id), await naivePositionOf(tx, id)];
        expect({ id, fast }).toEqual({ id, fast: index + 1 });
        expect(naive).toBe(index + 1);
      }
      const [notWaiting] = (await tx.execute(sql`select id from registrations where status <> 'waiting' limit 1`)) as unknown as { id: string }[];
      if (notWaiting) expect(await positionOf(tx, notWaiting.id)).toBeNull();
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

async function reset(db: Database): Promise<void> {
  // TRUNCATE is the owner's (the app's runtime role may not); the counts are read as the app.
  await t.owner`truncate registrations cascade`;
  const [{ n }] = (await db.execute(sql`select count(*)::int as n from waitlist_counts`)) as unknown as [{ n: number }];
  expect(n).toBe(0);
}

describe("position exactness", () => {
  it("equals the naive count after any sequence of operations", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), async (ops) => {
        await reset(t.db);
        for (const o of ops) await apply(t.db, o);
        await checkExact(t.db);
        await compactWaitlistCounts(t.db);
        await checkExact(t.db);
      }),
      { numRuns: 30 },
    );
  }, 180_000);

  it("stays exact in every snapshot while concurrent transactions commit and roll back", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 5, maxLength: 15 }),
        // Compaction runs in a transaction of its own (the job), never inside a writer's: a writer
        // holding row locks while it waits for the compaction lock deadlocks the compactor.
        fc.array(fc.record({ ops: fc.array(writerOp, { minLength: 1, maxLength: 8 }), commit: fc.boolean() }), { minLength: 2, maxLength: 4 }),
        async (setup, concurrent) => {
          await reset(t.db);
          for (const o of setup) await apply(t.db, o);
          let writersDone = false;
          const writers = Promise.allSettled(
            concurrent.map((writer) =>
              t.db.transaction(async (tx) => {
                for (const o of writer.ops) await apply(tx, o);
                if (!writer.commit) tx.rollback();
              }),
            ),
          ).finally(() => {
            writersDone = true;
          });
          // Readers and a compactor run while the writers are in flight.
          const readers = (async () => {
            let checks = 0;
            while (!writersDone || checks < 2) {
              await checkExact(t.db);
              if (checks % 2 === 1) await compactWaitlistCounts(t.db);
              checks += 1;
            }
          })();
          const results = await writers;
          await readers;
          // Deadlocks between writers are fine (that writer rolled back); anything else is a bug.
          for (const r of results) {
            if (r.status === "rejected") {
              const error = r.reason as Error & { cause?: Error };
              // drizzle wraps the PostgreSQL error ("Failed query: …") and keeps it as `cause`.
              const message = `${error?.message ?? error} ${error?.cause?.message ?? ""}`;
              expect(message).toMatch(/Rollback|deadlock|duplicate key/i);
            }
          }
          await checkExact(t.db);
        },
      ),
      { numRuns: 12 },
    );
  }, 180_000);
});

describe("position query plan", () => {
  it("counts inside one's own bucket with an index-only range scan of registrations_queue_idx", async () => {
    await reset(t.db);
    await t.db.execute(sql`
      insert into registrations (phone, phone_hash, phone_country, platform, referral_code, status, queued_at, boost_points)
      select '+3368' || lpad(g::text, 7, '0'), 'h' || g, 'FR', 'android', 'Q' || g,
             case when g % 10 = 0 then 'invited' else 'waiting' end::registration_status,
             timestamptz '2026-01-01' + (g * interval '7 seconds'), case when g % 50 = 0 then 5 else 0 end
      from generate_series(1, 60000) g`);
    await t.owner`vacuum analyze registrations`;
    await compactWaitlistCounts(t.db);
    await vacuumWaitlistCounts(t.db);
    const [{ id }] = (await t.db.execute(
      sql`select id from registrations where status = 'waiting' order by priority desc, queued_at desc limit 1`,
    )) as unknown as [{ id: string }];
    const plan = (await t.db.execute(sql`explain (format json) ${positionQuery(id)}`)) as unknown as { "QUERY PLAN": unknown }[];
    const text = JSON.stringify(plan[0]!["QUERY PLAN"]);
    expect(text).toContain('"Index Name":"registrations_queue_idx"');
    expect(text).toMatch(/"Node Type":"Index Only Scan"[^}]*"Index Name":"registrations_queue_idx"/);
    expect(text).not.toMatch(/"Node Type":"Seq Scan"[^}]*"Relation Name":"registrations"/);
    expect(await positionOf(t.db, id)).toBe(await naivePositionOf(t.db, id));
  });
});
