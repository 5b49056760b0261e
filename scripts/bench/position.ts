// Position lookup, SPEC §7: exact position of one registration at the front, middle and back of
// the queue, p50/p95 over many lookups, beside the naive count(*) of everyone ahead measured in
// the same run on the same data. Target: p95 ≤ 5 ms at 10M.
//
// As a module: `benchPosition({ sql, db })` (the `npm run bench` runner calls it). Standalone:
//   npx tsx scripts/bench/position.ts [--seed 10000000]
// against BENCH_DATABASE_URL (default: a `gh_position_bench` database on the local PostgreSQL),
// seeding with the bulk seeder first when it holds fewer registrations than --seed.
import { pathToFileURL } from "node:url";
import type postgres from "postgres";
import type { Database } from "../../db/client";
import { compactWaitlistCounts, naivePositionOf, positionOf, vacuumWaitlistCounts } from "../../lib/registrations/position";
import type { BenchRow } from "./types";

export interface BenchPositionOptions {
  sql: postgres.Sql;
  db: Database;
  /** Distinct registrations sampled per depth (default 40). */
  samplesPerDepth?: number;
  /** Lookups per sampled registration (default 5). */
  repeats?: number;
  /** Naive counts per depth (default 5: one takes ~0.5 s at the back of 10M). */
  naiveSamples?: number;
  log?: (line: string) => void;
}

const TARGET_P95_MS = 5;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

/** `count` consecutive waiting registrations starting at 0-based queue rank `rank`. */
async function idsAtRank(sql: postgres.Sql, rank: number, count: number): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    select id from registrations where status = 'waiting'
    order by priority desc, queued_at, id offset ${rank} limit ${count}`;
  return rows.map((r) => r.id);
}

export async function benchPosition(options: BenchPositionOptions): Promise<BenchRow[]> {
  const { sql, db } = options;
  const log = options.log ?? (() => {});
  const samples = options.samplesPerDepth ?? 40;
  const repeats = options.repeats ?? 5;
  const naiveSamples = options.naiveSamples ?? 5;

  // The steady state the compaction job keeps: deltas folded, dead rows vacuumed.
  const compaction = await timed(() => compactWaitlistCounts(db));
  await vacuumWaitlistCounts(db);
  const [counted] = await sql<{ waiting: number }[]>`select coalesce(sum(n), 0)::int as waiting from waitlist_counts`;
  const waiting = counted?.waiting ?? 0;
  log(`position: ${waiting.toLocaleString("en")} waiting; compaction ${compaction.ms.toFixed(0)} ms (${compaction.value.rowsBefore} → ${compaction.value.rowsAfter} count rows)`);
  if (waiting < samples * 3) throw new Error(`position bench needs at least ${samples * 3} waiting registrations`);

  const depths = [
    { name: "front", rank: 0 },
    { name: "middle", rank: Math.floor(waiting / 2) },
    { name: "back", rank: waiting - samples },
  ];
  const rows: BenchRow[] = [];
  for (const depth of depths) {
    const ids = await idsAtRank(sql, depth.rank, samples);
    // Warm the pages these lookups touch (the bench measures a warm cache, as PERF.md does).
    for (const id of ids) await positionOf(db, id);
    const fast: number[] = [];
    for (let r = 0; r < repeats; r++) {
      for (const id of ids) fast.push((await timed(() => positionOf(db, id))).ms);
    }
    const naive: number[] = [];
    for (const id of ids.slice(0, naiveSamples)) {
      const exact = await timed(() => naivePositionOf(db, id));
      const quick = await positionOf(db, id);
      if (quick !== exact.value) throw new Error(`position of ${id}: bucketed ${quick} ≠ naive ${exact.value}`);
      naive.push(exact.ms);
    }
    const naiveP50 = percentile(naive, 50);
    log(
      `position ${depth.name} (rank ~${(depth.rank + 1).toLocaleString("en")}): p50 ${percentile(fast, 50).toFixed(2)} ms, p95 ${percentile(fast, 95).toFixed(2)} ms; naive count p50 ${naiveP50.toFixed(1)} ms`,
    );
    rows.push(
      { name: `position p50 (${depth.name})`, value: percentile(fast, 50), unit: "ms", target: null, baseline: naiveP50 },
      { name: `position p95 (${depth.name})`, value: percentile(fast, 95), unit: "ms", target: TARGET_P95_MS, baseline: naiveP50, growth: `position p95, ${depth.name} of the queue` },
    );
  }
  return rows;
}

async function main(): Promise<void> {
  const { connectDatabase } = await import("../../db/client");
  const { migrateDatabase } = await import("../../db/migrate");
  const { ensureDatabase } = await import("../lib/services");
  const seedArg = process.argv.indexOf("--seed");
  const seedTo = seedArg > 0 ? Number(process.argv[seedArg + 1]) : 0;
  const url = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/gh_position_bench";
  await ensureDatabase(url);
  await migrateDatabase(url);
  const connection = connectDatabase(url, { max: 2 });
  try {
    const [existing] = await connection.sql<{ n: number }[]>`select count(*)::int as n from registrations`;
    const n = existing?.n ?? 0;
    if (seedTo > n) {
      const { seedRegistrations } = await import("../seed/registrations");
      console.log(`seeding ${(seedTo - n).toLocaleString("en")} registrations …`);
      let last = 0;
      await seedRegistrations(connection.sql, {
        count: seedTo - n,
        onProgress: ({ inserted, total }) => {
          if (inserted - last >= 1_000_000 || inserted === total) {
            last = inserted;
            console.log(`  ${inserted.toLocaleString("en")} / ${total.toLocaleString("en")}`);
          }
        },
      });
    }
    const rows = await benchPosition({ sql: connection.sql, db: connection.db, log: console.log });
    console.table(rows.map((r) => ({ ...r, value: Number(r.value.toFixed(2)), baseline: r.baseline === null ? null : Number(r.baseline.toFixed(1)) })));
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
