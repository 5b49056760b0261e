// admit_next end to end, SPEC §7: a batch of N (default 100,000) created, run in chunks by the
// batch runner (select in queue order with SKIP LOCKED, invite, write invitations and outbox
// messages) while the outbox relay moves the messages into BullMQ — timed until the last
// message is in the queue. Beside it, in the same run on the same data: the bare single
// statement (select → update → insert invitations → insert notifications, rolled back) plus a
// bare addBulk of the same number of jobs. Target: end to end ≤ 1.5 × bare.
//
// As a module: `benchAdmit({ sql, db, redisUrl })` (the `npm run bench` runner calls it). It
// puts the admitted people back in the queue afterwards (and vacuums), so the data set can be
// reused. Standalone:
//   npx tsx scripts/bench/admit.ts [--size 100000] [--seed 10000000]
// against BENCH_DATABASE_URL (default: the `gh_position_bench` database on the local PostgreSQL).
import { randomBytes, randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import { Queue } from "bullmq";
import { eq } from "drizzle-orm";
import type postgres from "postgres";
import type { Database } from "../../db/client";
import { phases, staffUsers } from "../../db/schema";
import { createRedis } from "../../lib/redis/connection";
import { deliverSms } from "../../jobs/definitions/notifications";
import { startOutboxRelay } from "../../jobs/outbox-relay";
import { JobProducer } from "../../jobs/producer";
import type { Actor } from "../../lib/auth/roles";
import { createBatch } from "../../lib/batches/create-batch";
import { DEFAULT_CHUNK_SIZE, runBatchChunk } from "../../lib/batches/run";
import { activatePhase } from "../../lib/phases/activate-phase";
import type { BenchRow } from "./types";

export interface BenchAdmitOptions {
  sql: postgres.Sql;
  db: Database;
  redisUrl: string;
  /** People admitted (default 100,000). */
  size?: number;
  /** Batch chunk size (default the runner's, 10,000). */
  chunkSize?: number;
  /** Put the admitted people back in the queue and vacuum afterwards (default true). */
  restore?: boolean;
  /** False at the smaller sizes of a growth run: the SPEC's 100,000 is measured at the full size only. */
  final?: boolean;
  log?: (line: string) => void;
}

const GROWTH_SIZE = 10_000;

/** admit_next of 10,000 at every size of a growth run: its cost should not grow with the queue. */
export async function benchAdmitGrowth(options: BenchAdmitOptions): Promise<BenchRow[]> {
  const rows = await benchAdmitOnce({ ...options, size: GROWTH_SIZE });
  return rows.map((row, i) => (i === 0 ? { ...row, target: null, growth: `admit_next ${GROWTH_SIZE.toLocaleString("en")} end to end` } : row));
}

const TARGET_RATIO = 1.5;

async function ensureActivePhase(db: Database): Promise<{ id: string; name: string }> {
  const [active] = await db.select().from(phases).where(eq(phases.status, "active")).limit(1);
  if (active) {
    if (active.capacity !== null || active.dailyAdmissionCap !== null) {
      throw new Error(`the active phase ${active.slug} has a capacity or daily cap: the admit bench needs an unlimited phase`);
    }
    return active;
  }
  const [created] = await db.insert(phases).values({ slug: `bench-${randomUUID().slice(0, 8)}`, name: "Bench wave", kind: "closed" }).returning();
  return activatePhase(db, null, created!.id);
}

async function benchActor(db: Database): Promise<Actor> {
  const email = "bench-admit@gatehouse.local";
  const [existing] = await db.select().from(staffUsers).where(eq(staffUsers.email, email)).limit(1);
  const row = existing ?? (await db.insert(staffUsers).values({ email, role: "growth" }).returning())[0]!;
  return { staffId: row.id, email: row.email, role: row.role, via: { kind: "session" } };
}

/** The bare baseline statement, in a transaction that is rolled back; returns its time and the notification ids. */
async function bareStatement(sql: postgres.Sql, phaseId: string, size: number): Promise<{ ms: number; ids: string[] }> {
  const rollback = new Error("bench rollback");
  let result: { ms: number; ids: string[] } | null = null;
  await sql
    .begin(async (tx) => {
      const start = performance.now();
      const rows = await tx<{ id: string }[]>`
        with picked as (
          select id, phone, locale from registrations
          where status = 'waiting'
          order by priority desc, queued_at, id
          limit ${size}
          for update skip locked
        ), moved as (
          update registrations r set status = 'invited' from picked p where r.id = p.id returning r.id
        ), issued as (
          insert into invitations (registration_id, phase_id, source, code_hash, expires_at)
          select id, ${phaseId}, 'batch', gen_random_uuid()::text, now() + interval '72 hours' from picked
          returning id, registration_id
        )
        insert into notifications (kind, channel, registration_id, invitation_id, recipient, locale, secret)
        select 'invitation', 'sms', p.id, i.id, p.phone, p.locale, i.id::text
        from issued i join picked p on p.id = i.registration_id
        returning id`;
      result = { ms: performance.now() - start, ids: rows.map((r) => r.id) };
      throw rollback;
    })
    .catch((error) => {
      if (error !== rollback) throw error;
    });
  return result!;
}

/** The bare enqueue: the same jobs (id = notification id), 1,000 per addBulk, 4 in flight. */
async function bareAddBulk(queue: Queue, ids: string[]): Promise<number> {
  const start = performance.now();
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += 1000) chunks.push(ids.slice(i, i + 1000));
  for (let i = 0; i < chunks.length; i += 4) {
    await Promise.all(
      chunks.slice(i, i + 4).map((chunk) => queue.addBulk(chunk.map((id) => ({ name: "bare", data: { notificationId: id }, opts: { jobId: id } })))),
    );
  }
  return performance.now() - start;
}

async function pendingNotifications(sql: postgres.Sql): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from notifications where status = 'pending'`;
  return row!.n;
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("admit bench: the outbox did not drain in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function benchAdmit(options: BenchAdmitOptions): Promise<BenchRow[]> {
  if (options.final === false) return [];
  return benchAdmitOnce(options);
}

async function benchAdmitOnce(options: BenchAdmitOptions): Promise<BenchRow[]> {
  const { sql, db } = options;
  const size = options.size ?? 100_000;
  const log = options.log ?? (() => {});
  const [counted] = await sql<{ n: number }[]>`select count(*)::int as n from registrations where status = 'waiting' and review = 'clear'`;
  if ((counted?.n ?? 0) < size) throw new Error(`admit bench needs ${size} waiting registrations (has ${counted?.n ?? 0})`);
  const phase = await ensureActivePhase(db);
  const actor = await benchActor(db);
  const prefix = `gh-bench-admit-${randomBytes(4).toString("hex")}`;
  const connection = createRedis("producer", { target: { url: options.redisUrl } });
  const producer = new JobProducer(connection, prefix);
  // The bare baseline: plain BullMQ, hash-tagged the way Gatehouse tags its own queues.
  const bareQueue = new Queue("{bench-bare-admit}", { connection, prefix });
  let batchId: string | null = null;
  try {
    // Warm the head of the queue for both runs alike.
    await sql`select id from registrations where status = 'waiting' order by priority desc, queued_at, id limit ${size}`;

    const bare = await bareStatement(sql, phase.id, size);
    const bareBulkMs = await bareAddBulk(bareQueue, bare.ids);
    const bareMs = bare.ms + bareBulkMs;
    log(`admit bare: statement ${bare.ms.toFixed(0)} ms + addBulk ${bareBulkMs.toFixed(0)} ms = ${bareMs.toFixed(0)} ms (${bare.ids.length} rows)`);

    // The product: one relay (as one worker process runs), draining while the chunks commit.
    const relay = startOutboxRelay({ db, producer, log: () => {}, idleMs: 20 });
    try {
      await until(async () => (await pendingNotifications(sql)) === 0, 600_000);
      const start = performance.now();
      const created = await createBatch(db, actor, { kind: "admit_next", size }, `bench-admit-${randomUUID()}`);
      if (created.dryRun) throw new Error("unreachable");
      batchId = created.batch.id;
      let batch = created.batch;
      for (;;) {
        const step = await runBatchChunk(db, batch.id, { chunkSize: options.chunkSize ?? DEFAULT_CHUNK_SIZE });
        batch = step.batch;
        if (step.done) break;
      }
      const chunksMs = performance.now() - start;
      await until(async () => (await pendingNotifications(sql)) === 0, 600_000);
      const totalMs = performance.now() - start;
      if (batch.invited !== size) throw new Error(`admit bench: the batch invited ${batch.invited} of ${size} (${batch.truncatedReason ?? batch.error})`);
      // Every message of the batch left the outbox (none pending) and sits in the SMS queue.
      const inRedis = await producer.queue(deliverSms).getJobCountByTypes("waiting", "delayed", "prioritized");
      log(`admit_next: batch done ${chunksMs.toFixed(0)} ms, last message in BullMQ at ${totalMs.toFixed(0)} ms; ${batch.notified} messages, ${inRedis} jobs in Redis`);
      if (batch.notified !== size || inRedis < size) throw new Error("admit bench: not every message reached the queue");
      return [
        { name: `admit_next ${size.toLocaleString("en")} end to end (batch + outbox → BullMQ)`, value: totalMs, unit: "ms", target: TARGET_RATIO * bareMs, baseline: bareMs },
        { name: "admit_next end to end / bare SQL + addBulk", value: totalMs / bareMs, unit: "×", target: TARGET_RATIO, baseline: 1 },
        { name: `admit_next batch chunks only (${Math.ceil(size / (options.chunkSize ?? DEFAULT_CHUNK_SIZE))} chunks)`, value: chunksMs, unit: "ms", target: null, baseline: bare.ms },
      ];
    } finally {
      await relay.stop();
    }
  } finally {
    await bareQueue.obliterate({ force: true }).catch(() => {});
    await producer.queue(deliverSms).obliterate({ force: true }).catch(() => {});
    await producer.close();
    await bareQueue.close();
    connection.disconnect();
    if (batchId && options.restore !== false) await restore(sql, batchId, log);
  }
}

/** Puts the batch's people back where they were (same queuedAt) and removes its traces. */
async function restore(sql: postgres.Sql, batchId: string, log: (line: string) => void): Promise<void> {
  const start = performance.now();
  await sql.begin(async (tx) => {
    await tx`delete from notifications where invitation_id in (select id from invitations where batch_id = ${batchId})`;
    await tx`update registrations set status = 'waiting' where id in (select registration_id from invitations where batch_id = ${batchId})`;
    await tx`delete from invitations where batch_id = ${batchId}`;
  });
  await sql`vacuum (analyze) registrations`;
  await sql`vacuum (analyze) invitations`;
  await sql`vacuum (analyze) notifications`;
  log(`admit bench: restored the queue and vacuumed in ${((performance.now() - start) / 1000).toFixed(1)} s`);
}

async function main(): Promise<void> {
  const { connectDatabase } = await import("../../db/client");
  const { migrateDatabase } = await import("../../db/migrate");
  const { ensureDatabase } = await import("../lib/services");
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  const url = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/gh_position_bench";
  await ensureDatabase(url);
  await migrateDatabase(url);
  const connection = connectDatabase(url, { max: 4 });
  try {
    const seedTo = arg("--seed") ?? 0;
    const [existing] = await connection.sql<{ n: number }[]>`select count(*)::int as n from registrations`;
    if (seedTo > (existing?.n ?? 0)) {
      const { seedRegistrations } = await import("../seed/registrations");
      console.log(`seeding ${(seedTo - existing!.n).toLocaleString("en")} registrations …`);
      await seedRegistrations(connection.sql, { count: seedTo - existing!.n });
    }
    const rows = await benchAdmit({
      sql: connection.sql,
      db: connection.db,
      redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
      size: arg("--size"),
      log: console.log,
    });
    console.table(rows.map((r) => ({ ...r, value: Number(r.value.toFixed(2)), target: r.target === null ? null : Number(r.target.toFixed(2)), baseline: r.baseline === null ? null : Number(r.baseline.toFixed(1)) })));
  } finally {
    await connection.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
