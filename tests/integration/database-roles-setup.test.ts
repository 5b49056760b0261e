// How Gatehouse sets up its two database roles (SPEC §3.8): the embedded PostgreSQL of `npm start`
// creates the runtime role on first start (password generated once, owner-only) and the migration
// run as `postgres` grants it its privileges — here on PostgreSQL 18, the MAINTAIN path; with
// DATABASE_URL alone, start-up says least privilege is off.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "../../db/migrate";
import { leastPrivilegeProblems, roleOfUrl, urlWithRole } from "../../db/privileges";
import { parseEnv } from "../../lib/env.js";
import { resolveAppDatabase } from "../../scripts/lib/runtime";
import { EMBEDDED_RUNTIME_ROLE, makePrivateDir, startEmbeddedPostgres, type Service } from "../../scripts/lib/services";

/** From the privilege developer's port range (TEAM.md). */
const EMBEDDED_PORT = 17401;

describe("embedded PostgreSQL", () => {
  let dataDir: string;
  let pg: Service | undefined;

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), "gh-embedded-roles-"));
    makePrivateDir(dataDir); // as `npm start` makes .data
  });
  afterAll(async () => {
    await pg?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("sets up the owner and the runtime role on first start; the app's role cannot touch the audit table's protection", { timeout: 120_000 }, async () => {
    pg = await startEmbeddedPostgres(path.join(dataDir, "postgres"), "gatehouse", () => {}, { port: EMBEDDED_PORT });
    expect(roleOfUrl(pg.url)).toBe(EMBEDDED_RUNTIME_ROLE);
    expect(roleOfUrl(pg.ownerUrl!)).toBe("postgres");
    const passwordFile = path.join(dataDir, "postgres-app-password");
    expect(statSync(passwordFile).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dataDir, "postgres")).mode & 0o777).toBe(0o700);

    await migrateDatabase(pg.ownerUrl!, { runtimeRole: EMBEDDED_RUNTIME_ROLE });
    const app = postgres(pg.url, { max: 1, onnotice: () => {} });
    try {
      expect(await leastPrivilegeProblems(app)).toEqual([]);
      const [server] = await app<{ version: number }[]>`select current_setting('server_version_num')::int as version`;
      expect(server!.version).toBeGreaterThanOrEqual(170000);
      // PostgreSQL ≥ 17: MAINTAIN on the counter tables, ownership of nothing.
      const [grants] = await app<{ maintain: boolean; owned: number }[]>`
        select has_table_privilege('waitlist_counts', 'MAINTAIN') and has_table_privilege('waitlist_day_counts', 'MAINTAIN') as maintain,
               (select count(*)::int from pg_class where relowner = (select oid from pg_roles where rolname = current_user)) as owned`;
      expect(grants).toEqual({ maintain: true, owned: 0 });
      await app`vacuum (analyze) waitlist_counts, waitlist_day_counts`;
      await app`insert into audit_events (actor_label, action, target_type) values ('system', 'embedded.test', 'test')`;
      for (const statement of [
        () => app`update audit_events set action = 'x'`,
        () => app`alter table audit_events disable trigger all`,
        () => app`drop trigger audit_events_no_update on audit_events`,
        () => app`set session_replication_role = replica`,
      ]) {
        await expect(statement()).rejects.toMatchObject({ code: "42501" });
      }
      const owner = postgres(pg.ownerUrl!, { max: 1, onnotice: () => {} });
      expect(await leastPrivilegeProblems(owner)).toEqual(["the app connects as postgres, a superuser"]);
      await owner.end({ timeout: 2 });
    } finally {
      await app.end({ timeout: 2 });
    }
  });

  it("keeps the runtime role's password across restarts (the file is the source)", { timeout: 120_000 }, async () => {
    const before = pg!.url;
    await pg!.stop();
    pg = await startEmbeddedPostgres(path.join(dataDir, "postgres"), "gatehouse", () => {}, { port: EMBEDDED_PORT });
    expect(pg.url).toBe(before);
    const app = postgres(pg.url, { max: 1, onnotice: () => {} });
    try {
      const [row] = await app<{ role: string }[]>`select current_user as role`;
      expect(row!.role).toBe(EMBEDDED_RUNTIME_ROLE);
    } finally {
      await app.end({ timeout: 2 });
    }
  });
});

describe("start-up with DATABASE_URL", () => {
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  const server = "postgres://postgres@127.0.0.1:5432/gatehouse_roles_check";

  it("warns that least privilege is off when MIGRATION_DATABASE_URL is not set, and migrates with DATABASE_URL", async () => {
    lines.length = 0;
    const database = await resolveAppDatabase(parseEnv({ DATABASE_URL: server }), tmpdir(), log);
    expect(database).toMatchObject({ url: server, migrationUrl: server, runtimeRole: null });
    expect(lines.join("\n")).toMatch(/least privilege is OFF — MIGRATION_DATABASE_URL is not set/);
  });

  it("migrates as MIGRATION_DATABASE_URL and grants DATABASE_URL's role, without a warning", async () => {
    lines.length = 0;
    const runtime = urlWithRole(server, "gatehouse_app_role", "secret");
    const database = await resolveAppDatabase(parseEnv({ DATABASE_URL: runtime, MIGRATION_DATABASE_URL: server }), tmpdir(), log);
    expect(database).toMatchObject({ url: runtime, migrationUrl: server, runtimeRole: "gatehouse_app_role" });
    expect(lines).toEqual([]);
  });
});
