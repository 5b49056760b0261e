// `npm run bench [-- --registrations N] [--only name …] [--seed-only]`: seeds a dedicated database with N
// registrations (default 10,000,000; reused while it holds that seed), then runs every module
// under scripts/bench/ (or only the named ones) and prints each figure beside its target and
// the bare baseline measured in the same run (SPEC §7).
//
// Database: BENCH_DATABASE_URL; else the server of DATABASE_URL, else the machine's PostgreSQL
// on 127.0.0.1:5432, else the embedded one under .data — in a database of its own
// (`gatehouse_bench`, or `gatehouse_bench_<N>` for other sizes), never the app's.
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
import { loadEnv, OperatorError, resolveDataDir, runMain } from "./lib/runtime";
import { ensureDatabase, resolvePostgres, resolveRedis, type Service } from "./lib/services";

const DEFAULT_REGISTRATIONS = 10_000_000;
const benchDir = path.join(import.meta.dirname, "bench");
const log = (line: string) => console.log(`[bench] ${line}`);

const argsSchema = z.object({
  registrations: z.coerce.number().int().min(1_000, "must be at least 1,000").max(100_000_000).default(DEFAULT_REGISTRATIONS),
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
  return resolvePostgres({ envUrl: undefined, tryLocal: true, database: name, dataDir, log });
}

/**
 * Seeds unless the database already holds a finished seed of this size (a marker row written
 * after the seed completes; benches may add or change rows, the seed stays reusable).
 */
async function ensureSeeded(url: string, registrations: number): Promise<void> {
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  try {
    const [marker] = await sql<{ exists: boolean }[]>`select to_regclass('bench_seed') is not null as exists`;
    const [done] = marker!.exists ? await sql<{ seconds: number }[]>`select seconds from bench_seed where registrations = ${registrations}` : [];
    if (done) {
      log(`reusing the seeded data set (${registrations.toLocaleString("en")} registrations, seeded in ${Math.round(done.seconds)} s)`);
      return;
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
  // A partial or different data set: start from an empty database.
  const admin = postgres(withDatabase(url, "postgres"), { max: 1, onnotice: () => {} });
  const name = new URL(url).pathname.slice(1);
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.unsafe(`create database "${name}"`);
  await admin.end({ timeout: 5 });
  await migrateDatabase(url);

  const { seedRegistrations } = await import("@/scripts/seed/registrations");
  const seedSql = postgres(url, { max: 2, onnotice: () => {} });
  const bar = process.stdout.isTTY
    ? new cliProgress.SingleBar({ format: "[bench] seeding [{bar}] {percentage}% | {value}/{total} | {duration_formatted} elapsed, ETA {eta_formatted}" }, cliProgress.Presets.shades_classic)
    : null;
  try {
    log(`seeding ${registrations.toLocaleString("en")} registrations …`);
    bar?.start(registrations, 0);
    const started = performance.now();
    await seedRegistrations(seedSql, {
      count: registrations,
      onProgress: ({ inserted, total }) => {
        if (bar) bar.update(inserted);
        else log(`seeded ${inserted.toLocaleString("en")}/${total.toLocaleString("en")} (${Math.round((performance.now() - started) / 1000)} s)`);
      },
    });
    bar?.stop();
    const seconds = (performance.now() - started) / 1000;
    await seedSql`create table bench_seed (registrations bigint not null, seconds real not null, finished_at timestamptz not null default now())`;
    await seedSql`insert into bench_seed (registrations, seconds) values (${registrations}, ${seconds})`;
    log(`seeded ${registrations.toLocaleString("en")} registrations in ${seconds.toFixed(0)} s (including VACUUM ANALYZE)`);
  } finally {
    bar?.stop();
    await seedSql.end({ timeout: 5 });
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { registrations: { type: "string" }, only: { type: "string", multiple: true }, "seed-only": { type: "boolean", default: false } },
  });
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    throw new OperatorError(`bench: ${parsed.error.issues.map((i) => `--${i.path.join(".")} ${i.message}`).join("; ")}`);
  }
  const { registrations, only } = parsed.data;
  const available = moduleNames();
  const unknown = only.filter((name) => !available.includes(name));
  if (unknown.length > 0) throw new OperatorError(`bench: no module ${unknown.join(", ")} (available: ${available.join(", ")})`);
  const selected = only.length > 0 ? only : available;

  const env = await loadEnv();
  const dataDir = resolveDataDir(env);
  const dbName = registrations === DEFAULT_REGISTRATIONS ? "gatehouse_bench" : `gatehouse_bench_${registrations}`;
  const pg = await resolveBenchDatabase(dbName, dataDir, env.DATABASE_URL);
  const redis = await resolveRedis({ envUrl: process.env.REDIS_URL || undefined, dataDir, log }).catch((error: unknown) => {
    throw new OperatorError(error instanceof Error ? error.message : String(error));
  });
  log(`database: ${pg.origin} (${dbName}); redis: ${redis.origin}`);
  const { connectDatabase } = await import("@/db/client");
  let connection: ReturnType<typeof connectDatabase> | undefined;
  try {
    await migrateDatabase(pg.url);
    await ensureSeeded(pg.url, registrations);
    if (parsed.data["seed-only"]) return 0;
    connection = connectDatabase(pg.url, { max: 10 });
    const context: BenchContext = { sql: connection.sql, db: connection.db, databaseUrl: pg.url, redisUrl: redis.url, registrations, log };

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
        log(`running ${name}.${key} …`);
        const started = performance.now();
        try {
          const rows = await (run as (ctx: BenchContext) => Promise<BenchRow[]>)(context);
          results.push(...rows.map((row) => ({ module: name, row })));
          log(`${name}.${key} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
        } catch (error) {
          failures.push(`${name}.${key}: ${error instanceof Error ? error.message : String(error)}`);
          log(`${name}.${key} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        }
      }
    }

    console.log(`\nGatehouse bench — ${registrations.toLocaleString("en")} registrations, ${new Date().toISOString()}\n`);
    console.log(formatTable(results));
    const missed = results.filter(({ row }) => verdict(row) === "FAIL").length;
    console.log(`\n${results.length} figures, ${missed} below target, ${failures.length} modules failed${failures.length ? `:\n  ${failures.join("\n  ")}` : ""}`);
    writeFileSync(path.join(dataDir, "bench-results.json"), JSON.stringify({ registrations, at: new Date(), results, failures }, null, 2));
    return failures.length > 0 ? 1 : 0;
  } finally {
    await connection?.close();
    await redis.stop();
    await pg.stop();
  }
}

runMain(main);
