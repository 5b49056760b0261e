// `npm run bench [-- --sizes 1000000,3000000,10000000 | --registrations N] [--only name …] [--seed-only]`
//
// By default the bench measures how cost grows (SPEC §7 "Growth"): it seeds 1M registrations,
// runs every module, grows the same database to 3M, runs them again, then to 10M, where it also
// runs what only the full size needs (the SPEC's targets, overload, notifications). Figures
// marked as growth figures are collected per size into BENCHMARKS.md with a chart
// (BENCHMARKS-growth.svg). `--registrations N` measures one size only.
//
// Seeding is resumable: every chunk commits with a marker of how far the seed got, so an
// interrupted run continues where it stopped, and a grown database is grown further, not reseeded.
//
// Database: BENCH_DATABASE_URL; else the server of DATABASE_URL, else the machine's PostgreSQL
// on 127.0.0.1:5432, else the embedded one under .data — in a database of its own
// (`gatehouse_bench`, or `gatehouse_bench_<N>` for a single other size), never the app's.
import { readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import postgres from "postgres";
import { z } from "zod";
import { migrateDatabase } from "@/db/migrate";
import type { BenchContext } from "./bench/context";
import type { BenchRow } from "./bench/types";
import { formatTable, verdict } from "./lib/bench-table";
import { writeGrowthReport } from "./lib/growth-report";
import { loadEnv, OperatorError, resolveDataDir, runMain } from "./lib/runtime";
import { ensureDatabase, resolvePostgres, resolveRedis, type Service } from "./lib/services";

const DEFAULT_SIZES = [1_000_000, 3_000_000, 10_000_000];
const root = path.resolve(import.meta.dirname, "..");
const benchDir = path.join(import.meta.dirname, "bench");
const log = (line: string) => console.log(`[bench] ${line}`);

const size = z.coerce.number().int().min(1_000, "must be at least 1,000").max(100_000_000);
const argsSchema = z.object({
  registrations: size.optional(),
  sizes: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return undefined;
      const parsed = text.split(",").map((part) => size.safeParse(part.trim()));
      if (parsed.some((p) => !p.success)) {
        ctx.addIssue({ code: "custom", message: "must be a comma-separated list of sizes ≥ 1,000" });
        return z.NEVER;
      }
      const values = parsed.map((p) => p.data!);
      if (values.some((v, i) => i > 0 && v <= values[i - 1]!)) {
        ctx.addIssue({ code: "custom", message: "must grow: each size larger than the one before" });
        return z.NEVER;
      }
      return values;
    }),
  only: z.array(z.string().min(1)).default([]),
  "seed-only": z.boolean(),
});

/** Benchmark modules: every scripts/bench/<name>.ts that is not a helper. */
function moduleNames(): string[] {
  return readdirSync(benchDir)
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts") && !["types.ts", "context.ts"].includes(file))
    .map((file) => file.replace(/\.ts$/, ""))
    .sort();
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function resolveBenchDatabase(name: string, dataDir: string, databaseUrl: string | undefined): Promise<Service> {
  const explicit = process.env.BENCH_DATABASE_URL || (databaseUrl ? withDatabase(databaseUrl, name) : undefined);
  if (explicit) {
    await ensureDatabase(explicit);
    return { url: explicit, origin: process.env.BENCH_DATABASE_URL ? "BENCH_DATABASE_URL" : `DATABASE_URL's server, database ${name}`, owned: false, stop: async () => {} };
  }
  // The bench builds and seeds its own database: as the owner (an embedded cluster's runtime role cannot).
  const service = await resolvePostgres({ envUrl: undefined, tryLocal: true, database: name, dataDir, log });
  return { ...service, url: service.ownerUrl ?? service.url };
}

/** Registrations the seeder has committed to this database (0 when it never seeded it). */
async function seededSoFar(sql: postgres.Sql): Promise<number> {
  const [marker] = await sql<{ exists: boolean }[]>`select to_regclass('bench_seed') is not null as exists`;
  if (!marker!.exists) return 0;
  const [row] = await sql<{ seeded: string | null }[]>`select max(registrations)::text as seeded from bench_seed`;
  return Number(row?.seeded ?? 0);
}

/**
 * Brings the database to `target` seeded registrations: reuses it as it is, grows it (resuming
 * an interrupted seed where its last committed chunk left off), or — when it holds more than
 * asked and may not shrink — starts again from an empty database.
 */
async function ensureSeeded(url: string, target: number): Promise<void> {
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  let seeded: number;
  try {
    seeded = await seededSoFar(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
  if (seeded === target) {
    log(`reusing the seeded data set (${target.toLocaleString("en")} registrations)`);
    return;
  }
  if (seeded > target) {
    log(`the database holds ${seeded.toLocaleString("en")} seeded registrations, more than ${target.toLocaleString("en")}: seeding it again from empty`);
    const admin = postgres(withDatabase(url, "postgres"), { max: 1, onnotice: () => {} });
    const name = new URL(url).pathname.slice(1);
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.unsafe(`create database "${name}"`);
    await admin.end({ timeout: 5 });
    await migrateDatabase(url);
    seeded = 0;
  }

  const { seedRegistrations } = await import("@/scripts/seed/registrations");
  const seedSql = postgres(url, { max: 2, onnotice: () => {} });
  const count = target - seeded;
  const bar = process.stdout.isTTY
    ? new cliProgress.SingleBar({ format: "[bench] seeding [{bar}] {percentage}% | {value}/{total} | {duration_formatted} elapsed, ETA {eta_formatted}" }, cliProgress.Presets.shades_classic)
    : null;
  try {
    await seedSql`create table if not exists bench_seed (registrations bigint not null, finished_at timestamptz not null default now())`;
    log(`seeding ${count.toLocaleString("en")} registrations (${seeded.toLocaleString("en")} → ${target.toLocaleString("en")}) …`);
    bar?.start(count, 0);
    const started = performance.now();
    await seedRegistrations(seedSql, {
      count,
      // The marker commits with each chunk: an interrupted seed resumes from the last one.
      inChunkTransaction: (session, inserted) => session`insert into bench_seed (registrations) values (${seeded + inserted})`,
      onProgress: ({ inserted, total }) => {
        if (bar) bar.update(inserted);
        else log(`seeded ${inserted.toLocaleString("en")}/${total.toLocaleString("en")} (${Math.round((performance.now() - started) / 1000)} s)`);
      },
    });
    bar?.stop();
    log(`seeded ${count.toLocaleString("en")} registrations in ${((performance.now() - started) / 1000).toFixed(0)} s (including VACUUM ANALYZE)`);
  } finally {
    bar?.stop();
    await seedSql.end({ timeout: 5 });
  }
}

async function runModules(selected: string[], context: BenchContext): Promise<{ results: { module: string; row: BenchRow }[]; failures: string[] }> {
  const results: { module: string; row: BenchRow }[] = [];
  const failures: string[] = [];
  for (const name of selected) {
    const module = (await import(path.join(benchDir, `${name}.ts`))) as Record<string, unknown>;
    const runners = Object.entries(module).filter(([key, value]) => key.startsWith("bench") && typeof value === "function");
    if (runners.length === 0) {
      log(`${name}: exports no bench… function, skipped`);
      continue;
    }
    for (const [key, run] of runners) {
      log(`running ${name}.${key} at ${context.registrations.toLocaleString("en")} …`);
      const started = performance.now();
      try {
        const rows = await (run as (ctx: BenchContext) => Promise<BenchRow[]>)(context);
        results.push(...rows.map((row) => ({ module: name, row })));
        log(`${name}.${key} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      } catch (error) {
        failures.push(`${name}.${key} at ${context.registrations}: ${error instanceof Error ? error.message : String(error)}`);
        log(`${name}.${key} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    }
  }
  return { results, failures };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      registrations: { type: "string" },
      sizes: { type: "string" },
      only: { type: "string", multiple: true },
      "seed-only": { type: "boolean", default: false },
    },
  });
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    throw new OperatorError(`bench: ${parsed.error.issues.map((i) => `--${i.path.join(".")} ${i.message}`).join("; ")}`);
  }
  const { registrations, only } = parsed.data;
  if (registrations !== undefined && parsed.data.sizes) throw new OperatorError("bench: give --registrations or --sizes, not both");
  const sizes = registrations !== undefined ? [registrations] : (parsed.data.sizes ?? DEFAULT_SIZES);
  const available = moduleNames();
  const unknown = only.filter((name) => !available.includes(name));
  if (unknown.length > 0) throw new OperatorError(`bench: no module ${unknown.join(", ")} (available: ${available.join(", ")})`);
  const selected = only.length > 0 ? only : available;

  const env = await loadEnv();
  const dataDir = resolveDataDir(env);
  const largest = sizes.at(-1)!;
  const dbName = sizes.length > 1 || largest === DEFAULT_SIZES.at(-1) ? "gatehouse_bench" : `gatehouse_bench_${largest}`;
  const pg = await resolveBenchDatabase(dbName, dataDir, env.DATABASE_URL);
  const redis = await resolveRedis({ envUrl: process.env.REDIS_URL || undefined, dataDir, log }).catch((error: unknown) => {
    throw new OperatorError(error instanceof Error ? error.message : String(error));
  });
  log(`database: ${pg.origin} (${new URL(pg.url).pathname.slice(1)}); redis: ${redis.origin}; sizes ${sizes.map((n) => n.toLocaleString("en")).join(" → ")}`);
  const { connectDatabase } = await import("@/db/client");
  const stages: { registrations: number; results: { module: string; row: BenchRow }[] }[] = [];
  const failures: string[] = [];
  try {
    await migrateDatabase(pg.url);
    // A database seeded beyond the first size cannot shrink: start the growth from where it is.
    const probe = postgres(pg.url, { max: 1, onnotice: () => {} });
    const already = await seededSoFar(probe).finally(() => probe.end({ timeout: 5 }));
    const runnable = sizes.length > 1 && already > sizes[0]! ? sizes.filter((n) => n >= already) : sizes;
    if (runnable.length < sizes.length) log(`already seeded to ${already.toLocaleString("en")}: measuring ${runnable.map((n) => n.toLocaleString("en")).join(", ")} only`);
    for (const [index, size] of runnable.entries()) {
      await ensureSeeded(pg.url, size);
      if (parsed.data["seed-only"]) continue;
      const connection = connectDatabase(pg.url, { max: 10 });
      try {
        const final = index === runnable.length - 1;
        const context: BenchContext = { sql: connection.sql, db: connection.db, databaseUrl: pg.url, redisUrl: redis.url, registrations: size, final, log };
        const stage = await runModules(selected, context);
        stages.push({ registrations: size, results: stage.results });
        failures.push(...stage.failures);
      } finally {
        await connection.close();
      }
    }
    if (parsed.data["seed-only"]) return 0;

    const last = stages.at(-1)!;
    console.log(`\nGatehouse bench — ${last.registrations.toLocaleString("en")} registrations, ${new Date().toISOString()}\n`);
    console.log(formatTable(last.results));
    const missed = last.results.filter(({ row }) => verdict(row) === "FAIL").length;
    console.log(`\n${last.results.length} figures, ${missed} below target, ${failures.length} modules failed${failures.length ? `:\n  ${failures.join("\n  ")}` : ""}`);
    writeFileSync(path.join(dataDir, "bench-results.json"), JSON.stringify({ sizes: runnable, at: new Date(), stages, failures }, null, 2), { mode: 0o600 });
    if (stages.length > 1) {
      const written = writeGrowthReport(root, stages, last.results);
      console.log(`\n${written.summary}\nwrote ${written.files.join(" and ")}`);
    }
    return failures.length > 0 ? 1 : 0;
  } finally {
    await redis.stop();
    await pg.stop();
  }
}

runMain(main);
