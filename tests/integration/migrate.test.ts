// The migration runner (db/migrate.ts) on databases of its own: concurrent index builds outside a
// transaction, recovery from an index an interrupted build left INVALID, lock timeouts retried
// instead of queueing traffic, and the squawk check that keeps unsafe migrations out.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { migrateDatabase, runsOutsideTransaction } from "../../db/migrate";

const root = path.resolve(import.meta.dirname, "../..");
let adminUrl: string;
let admin: postgres.Sql;
const created: string[] = [];
const folders: string[] = [];

async function emptyDatabase(): Promise<{ url: string; sql: postgres.Sql }> {
  const name = `gh_migrate_${randomBytes(5).toString("hex")}`;
  await admin.unsafe(`create database ${name}`);
  created.push(name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), sql: postgres(url.toString(), { max: 2, onnotice: () => {} }) };
}

/** A drizzle-kit style folder: meta/_journal.json and one .sql file per entry. */
function migrationsFolder(migrations: { tag: string; sql: string }[]): string {
  const folder = mkdtempSync(path.join(tmpdir(), "gh-migrations-"));
  folders.push(folder);
  mkdirSync(path.join(folder, "meta"));
  const entries = migrations.map((m, idx) => ({ idx, version: "7", when: 1_700_000_000_000 + idx, tag: m.tag, breakpoints: true }));
  writeFileSync(path.join(folder, "meta", "_journal.json"), JSON.stringify({ version: "7", dialect: "postgresql", entries }));
  for (const m of migrations) writeFileSync(path.join(folder, `${m.tag}.sql`), m.sql);
  return folder;
}

beforeAll(() => {
  adminUrl = inject("pgAdminUrl");
  admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
});

afterAll(async () => {
  for (const name of created) await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end({ timeout: 2 });
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

const createTable = { tag: "0000_table", sql: `CREATE TABLE "things" ("id" serial PRIMARY KEY, "name" text);--> statement-breakpoint\nINSERT INTO "things" ("name") SELECT 'n' || g FROM generate_series(1, 1000) g;` };
const concurrentIndex = { tag: "0001_things_name", sql: `CREATE INDEX CONCURRENTLY IF NOT EXISTS "things_name_idx" ON "things" USING btree ("name");` };

describe("migrateDatabase", () => {
  it("tells migrations that must run outside a transaction", () => {
    expect(runsOutsideTransaction(concurrentIndex.sql)).toBe(true);
    expect(runsOutsideTransaction(createTable.sql)).toBe(false);
    expect(runsOutsideTransaction("-- builds nothing concurrently\nALTER TABLE x ADD COLUMN y text;")).toBe(false);
    expect(runsOutsideTransaction("-- gatehouse:no-transaction\nALTER TYPE k ADD VALUE 'z';")).toBe(true);
  });

  it("applies the project's migrations once, then has nothing to do", async () => {
    const { url, sql } = await emptyDatabase();
    try {
      await migrateDatabase(url);
      const [first] = await sql`select count(*)::int as n from drizzle.__drizzle_migrations`;
      await migrateDatabase(url);
      const [second] = await sql`select count(*)::int as n from drizzle.__drizzle_migrations`;
      expect(first!.n).toBeGreaterThan(5);
      expect(second!.n).toBe(first!.n);
    } finally {
      await sql.end();
    }
  });

  it("builds an index concurrently, and rebuilds one an interrupted build left invalid", async () => {
    const { url, sql } = await emptyDatabase();
    try {
      await migrateDatabase(url, { folder: migrationsFolder([createTable]) });
      // What an interrupted CREATE INDEX CONCURRENTLY leaves behind: the index, marked invalid.
      await sql`create index "things_name_idx" on things (name)`;
      await sql`update pg_index set indisvalid = false where indexrelid = 'things_name_idx'::regclass`;
      await migrateDatabase(url, { folder: migrationsFolder([createTable, concurrentIndex]) });
      const [index] = await sql`select i.indisvalid from pg_index i where i.indexrelid = 'things_name_idx'::regclass`;
      expect(index!.indisvalid).toBe(true);
    } finally {
      await sql.end();
    }
  });

  it("waits for a lock only briefly, lets traffic through, and retries until the lock is free", async () => {
    const { url, sql } = await emptyDatabase();
    const holder = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await migrateDatabase(url, { folder: migrationsFolder([createTable]) });
      const addColumn = { tag: "0001_things_note", sql: `ALTER TABLE "things" ADD COLUMN "note" text;` };
      // A long transaction holds a lock the ALTER TABLE needs; a writer arrives after the migration.
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const holding = holder.begin(async (tx) => {
        await tx`select * from things limit 1`;
        await released;
      });
      await new Promise((r) => setTimeout(r, 100));
      const migrating = migrateDatabase(url, { folder: migrationsFolder([createTable, addColumn]), lockTimeoutMs: 200 });
      await new Promise((r) => setTimeout(r, 300));
      // The migration waits at most its lock timeout, so a writer queued behind it gets through.
      const started = Date.now();
      await sql`insert into things (name) values ('during')`;
      expect(Date.now() - started).toBeLessThan(1_000);
      release();
      await holding;
      await migrating;
      const [column] = await sql`select count(*)::int as n from information_schema.columns where table_name = 'things' and column_name = 'note'`;
      expect(column!.n).toBe(1);
    } finally {
      await holder.end();
      await sql.end();
    }
  });
});

describe("npm run lint:migrations (squawk)", () => {
  const check = (folder: string) =>
    spawnSync(process.execPath, ["--import", "tsx", path.join(root, "scripts/check-migrations.ts"), "--folder", folder], { cwd: root, encoding: "utf8" });

  it("passes the project's migrations", () => {
    const result = check(path.join(root, "db/migrations"));
    expect(result.stdout + result.stderr).toContain("0 with problems");
    expect(result.status).toBe(0);
  });

  it("refuses an index built without CONCURRENTLY on an existing table", () => {
    const unsafe = { tag: "0006_unsafe", sql: `CREATE INDEX "registrations_email2_idx" ON "registrations" USING btree ("email");` };
    const result = check(migrationsFolder([unsafe]));
    expect(result.stdout + result.stderr).toMatch(/require-concurrent-index-creation/);
    expect(result.status).toBe(1);
  });

  it("accepts the same index built concurrently and re-runnably", () => {
    const safe = { tag: "0006_safe", sql: `CREATE INDEX CONCURRENTLY IF NOT EXISTS "registrations_email2_idx" ON "registrations" USING btree ("email");` };
    const result = check(migrationsFolder([safe]));
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });
});
