// `npm run lint:migrations`: squawk (a PostgreSQL migration linter) over every migration newer
// than the baseline. A migration the runner applies inside a transaction is linted as such
// (--assume-in-transaction); one it runs statement by statement (CREATE INDEX CONCURRENTLY) is
// linted as autocommit, where every statement must be safe to re-run.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { migrationsFolder, runsOutsideTransaction } from "@/db/migrate";

/**
 * Migrations written before the safe-migration rule, applied everywhere already (0004 built an
 * index without CONCURRENTLY; on a fresh install its table is empty). Never add to this list.
 */
const BASELINE = new Set([
  "0000_init",
  "0001_constraints_and_counters",
  "0002_screening_and_sweep_indexes",
  "0003_waitlist_day_counts",
  "0004_waitlist_filter_indexes",
  "0005_notification_attention_index",
]);

/**
 * Rules that add nothing here. The runner (db/migrate.ts) sets lock_timeout and statement_timeout
 * for every statement of every migration, so a file need not; our small settings columns never
 * approach 2^31; enum values are appended on purpose (nothing sorts by them). Every rule about
 * locks, table rewrites and re-runnable statements stays on.
 */
const EXCLUDED_RULES = [
  "require-lock-timeout",
  "require-statement-timeout",
  "prefer-bigint-over-int",
  "prefer-bigint-over-smallint",
  "prefer-identity",
  "require-enum-value-ordering",
];

// --folder: another migrations folder (the check's own test).
const { values } = parseArgs({ options: { folder: { type: "string" } } });
const folder = values.folder ? path.resolve(values.folder) : migrationsFolder;
const journal = JSON.parse(readFileSync(path.join(folder, "meta", "_journal.json"), "utf8")) as { entries: { tag: string }[] };
const squawk = path.resolve(import.meta.dirname, "..", "node_modules", ".bin", "squawk");
let failed = 0;
let checked = 0;
for (const { tag } of journal.entries) {
  if (BASELINE.has(tag)) continue;
  const file = path.join(folder, `${tag}.sql`);
  const inTransaction = !runsOutsideTransaction(readFileSync(file, "utf8"));
  const args = ["--pg-version=15", `--exclude=${EXCLUDED_RULES.join(",")}`, ...(inTransaction ? ["--assume-in-transaction"] : []), file];
  const result = spawnSync(squawk, args, { stdio: "inherit", env: { ...process.env, NO_COLOR: "1" } });
  checked += 1;
  if (result.status !== 0) failed += 1;
}
console.log(`squawk: ${checked} migration(s) after the baseline checked, ${failed} with problems`);
process.exit(failed > 0 ? 1 : 0);
