// A migration applied to the full-size database while registrations flow (issue: migrations a
// live launch survives): the longest registration stall while it runs, beside the same load's
// latency without a migration.
//
// What is applied, through the real runner (db/migrate.ts: lock_timeout, concurrent builds
// outside a transaction):
// - the newest committed migration, replayed: the indexes it builds CONCURRENTLY are dropped
//   first (concurrently) and built again — the part of a migration that takes time on 10M rows;
// - a rehearsal of the other shapes our migrations take on the hottest table: a nullable column
//   added to `registrations` (a brief ACCESS EXCLUSIVE lock) and an index built on it
//   concurrently; both dropped afterwards.
// Registrations are offered at a steady rate by an open-loop client (a stall shows as latency,
// not as a slower client), so the longest stall is the slowest answer while the migration ran.
//
// As a module: `benchMigrationUnderLoad(context)`; at the last size of a run only.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type postgres from "postgres";
import { migrateDatabase, migrationsFolder } from "../../db/migrate";
import { benchWebLaunch } from "../lib/bench-web";
import { percentile, runOpenLoop, type OpenLoopResult } from "../lib/open-loop-load";
import { freePort } from "../lib/services";
import type { BenchRow } from "./types";

export interface BenchMigrationOptions {
  sql: postgres.Sql;
  databaseUrl: string;
  redisUrl: string;
  final?: boolean;
  log?: (line: string) => void;
}

const RATE = 200;
const BASELINE_SECONDS = 15;
const root = path.resolve(import.meta.dirname, "..", "..");

/** The newest migration's concurrent index builds: what replaying it rebuilds. */
function newestMigration(): { tag: string; indexStatements: { name: string; statement: string }[] } {
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as { entries: { tag: string }[] };
  const tag = journal.entries.at(-1)!.tag;
  const statements = readFileSync(path.join(migrationsFolder, `${tag}.sql`), "utf8").split("--> statement-breakpoint");
  const indexStatements = statements
    .map((statement) => ({ statement: statement.trim(), match: /create\s+(?:unique\s+)?index\s+concurrently\s+if\s+not\s+exists\s+"?([\w$]+)"?/i.exec(statement) }))
    .filter((s) => s.match)
    .map((s) => ({ name: s.match![1]!, statement: s.statement }));
  return { tag, indexStatements };
}

/** A one-off migrations folder the runner applies like the committed one. */
function migrationFolder(migrations: { tag: string; sql: string }[]): string {
  const folder = mkdtempSync(path.join(tmpdir(), "gh-bench-migration-"));
  mkdirSync(path.join(folder, "meta"));
  const entries = migrations.map((m, idx) => ({ idx, version: "7", when: Date.now() + idx, tag: m.tag, breakpoints: true }));
  writeFileSync(path.join(folder, "meta", "_journal.json"), JSON.stringify({ version: "7", dialect: "postgresql", entries }));
  for (const m of migrations) writeFileSync(path.join(folder, `${m.tag}.sql`), m.sql);
  return folder;
}

function latencyFigures(result: OpenLoopResult): { accepted: number; p99: number; max: number; failed: number } {
  const ok = result.samples.filter((s) => s.status === 202);
  return {
    accepted: ok.length,
    p99: percentile(ok.map((s) => s.ms), 99),
    max: Math.max(0, ...result.samples.map((s) => s.ms)),
    failed: result.samples.length - ok.length + result.errors,
  };
}

export async function benchMigrationUnderLoad(options: BenchMigrationOptions): Promise<BenchRow[]> {
  if (options.final === false) return [];
  const log = options.log ?? (() => {});
  const { sql } = options;
  const newest = newestMigration();

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const launch = benchWebLaunch({ port, databaseUrl: options.databaseUrl, redisUrl: options.redisUrl });
  const web = spawn(process.execPath, launch.args, { cwd: root, stdio: "ignore", env: launch.env });
  const folders: string[] = [];
  let next = Number.parseInt(randomBytes(3).toString("hex"), 16);
  // Numbers in +33 76…, a mobile range neither the seed nor the load bench (+33 75…) uses; a stride that never repeats.
  const request = () => {
    next = (next + 7_919) % 10_000_000;
    return { method: "POST", path: "/api/v1/registrations", headers: { "content-type": "application/json" }, body: JSON.stringify({ phone: `+3376${String(next).padStart(7, "0")}`, platform: "ios" }) };
  };
  try {
    for (let i = 0; i < 200; i++) {
      try {
        if ((await fetch(`${base}/api/health`)).ok) break;
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    const before = latencyFigures(await runOpenLoop({ url: base, rate: RATE, durationSeconds: BASELINE_SECONDS, request }));
    log(`migration: without a migration, ${RATE} registrations/s: p99 ${before.p99.toFixed(0)} ms, slowest ${before.max.toFixed(0)} ms, ${before.failed} not 202`);

    // Replay the newest migration's index builds, and rehearse a column and an index on registrations.
    for (const { name } of newest.indexStatements) await sql.unsafe(`drop index concurrently if exists "${name}"`);
    const replay = { tag: `replay_${newest.tag}`, sql: newest.indexStatements.map((s) => s.statement).join("--> statement-breakpoint\n") };
    const rehearsal = {
      tag: "rehearsal_registrations",
      sql: [
        `ALTER TABLE "registrations" ADD COLUMN IF NOT EXISTS "bench_rehearsal" text`,
        `CREATE INDEX CONCURRENTLY IF NOT EXISTS "registrations_bench_rehearsal_idx" ON "registrations" USING btree ("bench_rehearsal", "created_at")`,
      ].join(";--> statement-breakpoint\n"),
    };
    const folder = migrationFolder(newest.indexStatements.length > 0 ? [replay, rehearsal] : [rehearsal]);
    folders.push(folder);
    let migrated = false;
    const load = runOpenLoop({ url: base, rate: RATE, durationSeconds: 3_600, request, stopWhen: () => migrated });
    const started = performance.now();
    await migrateDatabase(options.databaseUrl, { folder, log: (line) => log(`migration: ${line}`) });
    const migrationMs = performance.now() - started;
    migrated = true;
    const during = latencyFigures(await load);
    log(
      `migration: ${newest.indexStatements.length} index(es) of ${newest.tag} rebuilt and the rehearsal applied in ${(migrationMs / 1000).toFixed(1)} s ` +
        `while ${RATE} registrations/s flowed: p99 ${during.p99.toFixed(0)} ms, longest stall ${during.max.toFixed(0)} ms, ${during.failed} not 202`,
    );
    return [
      { name: `longest registration stall while a migration runs (${newest.tag} replayed + rehearsal)`, value: during.max, unit: "ms", target: null, baseline: before.max },
      { name: "registration p99 while a migration runs", value: during.p99, unit: "ms", target: null, baseline: before.p99 },
      { name: "registrations refused or failed while a migration runs", value: during.failed, unit: "responses", target: 0, baseline: before.failed },
      { name: "migration duration on the full-size database", value: migrationMs / 1000, unit: "s", target: null, baseline: null },
    ];
  } finally {
    web.kill("SIGTERM");
    await sql.unsafe(`drop index concurrently if exists "registrations_bench_rehearsal_idx"`).catch(() => {});
    await sql.unsafe(`alter table registrations drop column if exists bench_rehearsal`).catch(() => {});
    // Whatever happened, the newest migration's indexes exist again.
    for (const { statement } of newest.indexStatements) await sql.unsafe(statement).catch(() => {});
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  }
}
