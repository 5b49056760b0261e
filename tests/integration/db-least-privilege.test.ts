// Least privilege in the database (SPEC §3.8): the suite connects as the runtime role the
// template's migration run granted (tests/setup/services.ts), as the app does in production. That
// role may INSERT and SELECT audit_events and nothing else on it: every way of rewriting history
// a compromised app could try is refused by PostgreSQL itself, not by the app's good manners.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "../../db/migrate";
import { COUNTER_TABLES, leastPrivilegeProblems } from "../../db/privileges";
import { recordAudit } from "../../lib/audit/record-audit";
import { compactWaitlistCounts, vacuumWaitlistCounts } from "../../lib/registrations/position";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { insertRegistration } from "../helpers/factories";

let t: TestDatabase;
let eventId: number;

beforeAll(async () => {
  t = await createTestDatabase();
  await t.db.transaction((tx) => recordAudit(tx, { actor: null, action: "test.history", targetType: "test", after: { kept: true } }));
  const [row] = await t.sql<{ id: number }[]>`select id from audit_events where action = 'test.history'`;
  eventId = row!.id;
});
afterAll(async () => {
  await t.drop();
});

/** The PostgreSQL error a statement run as the runtime role ends with (it must end with one). */
async function refused(statement: () => Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await statement();
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error("the runtime role was allowed to do it");
}

describe("the runtime role and the audit table", () => {
  it("is not a superuser and does not own the audit table", async () => {
    const [me] = await t.sql<{ role: string; superuser: boolean; audit_owner: string }[]>`
      select current_user as role, (select rolsuper from pg_roles where rolname = current_user) as superuser,
             (select pg_get_userbyid(relowner) from pg_class where relname = 'audit_events') as audit_owner`;
    expect(me!.role).toBe("gatehouse_test_app");
    expect(me!.superuser).toBe(false);
    expect(me!.audit_owner).not.toBe(me!.role);
    expect(await leastPrivilegeProblems(t.sql)).toEqual([]);
    // The owner's connection is what the start-up warning is about.
    expect((await leastPrivilegeProblems(t.owner)).join()).toMatch(/superuser|owns audit_events/);
  });

  it("may INSERT and SELECT audit rows (the app's own writes go through)", async () => {
    const [row] = await t.sql<{ action: string }[]>`select action from audit_events where id = ${eventId}`;
    expect(row!.action).toBe("test.history");
    const [privileges] = await t.sql<Record<string, boolean>[]>`
      select has_table_privilege('audit_events', 'INSERT') as insert, has_table_privilege('audit_events', 'SELECT') as select,
             has_table_privilege('audit_events', 'UPDATE') as update, has_table_privilege('audit_events', 'DELETE') as delete,
             has_table_privilege('audit_events', 'TRUNCATE') as truncate, has_table_privilege('audit_events', 'TRIGGER') as trigger,
             has_table_privilege('audit_events', 'REFERENCES') as references`;
    expect(privileges).toEqual({ insert: true, select: true, update: false, delete: false, truncate: false, trigger: false, references: false });
  });

  it("refuses UPDATE, DELETE and TRUNCATE", async () => {
    for (const statement of [
      () => t.sql`update audit_events set action = 'rewritten' where id = ${eventId}`,
      () => t.sql`delete from audit_events where id = ${eventId}`,
      () => t.sql`truncate audit_events`,
    ]) {
      const error = await refused(statement);
      expect(error.code).toBe("42501"); // insufficient_privilege
      expect(error.message).toMatch(/permission denied for table audit_events/);
    }
  });

  it("refuses ALTER TABLE … DISABLE TRIGGER, DROP TRIGGER and replacing the trigger function", async () => {
    for (const statement of [
      () => t.sql`alter table audit_events disable trigger audit_events_no_update`,
      () => t.sql`alter table audit_events disable trigger all`,
      () => t.sql`drop trigger audit_events_no_update on audit_events`,
      () => t.sql`alter table audit_events owner to current_user`,
      () => t.sql.unsafe(`create or replace function audit_events_refuse_change() returns trigger language plpgsql as $$ begin return new; end $$`),
    ]) {
      const error = await refused(statement);
      expect(error.code).toBe("42501");
      // Replacing the function is refused on the schema before ownership is even asked.
      expect(error.message).toMatch(/must be owner of (table|relation) audit_events|permission denied for schema public/);
    }
  });

  it("refuses SET session_replication_role (which would silence every trigger)", async () => {
    for (const statement of [
      () => t.sql`set session_replication_role = replica`,
      () => t.sql.begin((tx) => tx`set local session_replication_role = replica`),
      () => t.sql`select set_config('session_replication_role', 'replica', false)`,
    ]) {
      const error = await refused(statement);
      expect(error.code).toBe("42501");
      expect(error.message).toMatch(/permission denied to set parameter "session_replication_role"/);
    }
  });

  it("cannot create objects in the schema (no trigger of its own, no shadow table)", async () => {
    const error = await refused(() => t.sql`create table audit_shadow (id int)`);
    expect(error.code).toBe("42501");
    expect(error.message).toMatch(/permission denied for schema public/);
  });

  it("leaves the history intact after every attempt", async () => {
    const [row] = await t.sql<{ action: string; after: unknown }[]>`select action, after from audit_events where id = ${eventId}`;
    expect(row).toEqual({ action: "test.history", after: { kept: true } });
    const [triggers] = await t.sql<{ n: number }[]>`
      select count(*)::int as n from pg_trigger where tgrelid = 'audit_events'::regclass and not tgisinternal and tgenabled = 'O'`;
    expect(triggers!.n).toBe(2);
  });
});

describe("the runtime role does the app's work", () => {
  it("vacuums the waitlist counter tables itself (MAINTAIN from PostgreSQL 17, owning them before), and owns nothing else", async () => {
    for (let i = 0; i < 5; i++) await insertRegistration(t.db, { status: "waiting", queuedAt: new Date(Date.UTC(2026, 0, 1, i)) });
    await compactWaitlistCounts(t.db);
    const notices: string[] = [];
    const watched = postgres(t.url, { max: 1, onnotice: (notice) => notices.push(String(notice.message)) });
    try {
      await watched`vacuum (analyze) waitlist_counts, waitlist_day_counts`;
    } finally {
      await watched.end({ timeout: 2 });
    }
    // A VACUUM the role may not run is skipped with a WARNING, not an error: there must be none.
    expect(notices).toEqual([]);
    await vacuumWaitlistCounts(t.db);

    const [server] = await t.sql<{ version: number }[]>`select current_setting('server_version_num')::int as version`;
    const owned = await t.sql<{ name: string }[]>`
      select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') and c.relowner = (select oid from pg_roles where rolname = current_user)
      order by 1`;
    expect(owned.map((r) => r.name)).toEqual(server!.version >= 170000 ? [] : [...COUNTER_TABLES].sort());
  });

  it("runs `migrate` when nothing is pending, and says clearly that pending migrations need the owner", async () => {
    await migrateDatabase(t.url);
    const folder = pendingMigrationFolder();
    const error = await migrateDatabase(t.url, { folder }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    rmSync(folder, { recursive: true, force: true });
    expect(error?.message).toMatch(/migrations are pending and gatehouse_test_app .*owner role \(MIGRATION_DATABASE_URL\)/);
  });
});

/** The real migrations plus one more, newer than all of them. */
function pendingMigrationFolder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "gh-pending-"));
  cpSync(path.resolve(import.meta.dirname, "../../db/migrations"), dir, { recursive: true });
  const journalPath = path.join(dir, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { idx: number; when: number; tag: string }[] };
  const last = journal.entries.at(-1)!;
  journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1, tag: "9999_pending" });
  writeFileSync(journalPath, JSON.stringify(journal));
  writeFileSync(path.join(dir, "9999_pending.sql"), `ALTER TABLE "audit_events" ADD COLUMN "sneaky" text;`);
  return dir;
}
