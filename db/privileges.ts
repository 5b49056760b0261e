// Least privilege in the database (SPEC §3.8). Two roles:
// - the OWNER (MIGRATION_DATABASE_URL) owns the schema and applies migrations;
// - the RUNTIME role (DATABASE_URL: the web tier, the workers) reads and writes rows, and may only
//   INSERT and SELECT audit_events. Not owning the audit table, it cannot ALTER … DISABLE TRIGGER,
//   DROP TRIGGER, replace the trigger function or TRUNCATE; not being a superuser, it cannot SET
//   session_replication_role = replica. So even a compromised app cannot rewrite history.
//
// Maintenance: the waitlist compaction VACUUMs the two counter tables every few seconds of churn.
// From PostgreSQL 17 the runtime role gets the MAINTAIN privilege on them and owns nothing. Before
// 17 VACUUM needs ownership, and the runtime role OWNS those two tables (and nothing else): they
// hold derived counts the app rewrites all day anyway, so owning them gives it nothing it could not
// already break with DELETE — while the alternative, the worker holding the owner's credentials
// for a VACUUM, would put the audit table back within its reach.
//
// The grants are applied by the migration runner after the migrations, as the owner, every time
// (idempotent), so a table a migration adds is granted in the same run. README › "PostgreSQL
// roles" shows the same statements for a managed database.
import type postgres from "postgres";

/** Tables the waitlist compaction VACUUMs (lib/registrations/position.ts). */
export const COUNTER_TABLES = ["waitlist_counts", "waitlist_day_counts"] as const;

/** The append-only table: INSERT and SELECT only. */
export const AUDIT_TABLE = "audit_events";

/** PostgreSQL 17 added the MAINTAIN privilege (VACUUM, ANALYZE without ownership). */
const MAINTAIN_SINCE = 170000;

export interface RuntimeGrantResult {
  /** How the runtime role may VACUUM the counter tables. */
  maintenance: "maintain-privilege" | "owns-counter-tables";
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Gives `role` what the app needs on the schema the connected (owner) role just migrated, and
 * nothing more. Runs in one transaction on `sql`, connected as the owner.
 */
export async function grantRuntimePrivileges(sql: postgres.Sql, role: string): Promise<RuntimeGrantResult> {
  const [server] = await sql<{ version: number; owner: string; superuser: boolean }[]>`
    select current_setting('server_version_num')::int as version, current_user as owner,
           (select rolsuper from pg_roles where rolname = ${role}) as superuser`;
  if (!server) throw new Error("could not read the server version");
  if (server.owner === role) throw new Error(`the runtime role ${role} is the owner role itself: least privilege needs two roles`);
  if (server.superuser) throw new Error(`the runtime role ${role} is a superuser: a superuser can rewrite the audit table whatever the grants say`);
  const r = ident(role);
  const counters = COUNTER_TABLES.map(ident).join(", ");
  const maintain = server.version >= MAINTAIN_SINCE;
  await sql.begin(async (tx) => {
    // A table the runtime role owns (an older install that migrated as the app's role) goes back to
    // the owner first: ownership outranks every REVOKE below.
    const owned = await tx<{ name: string }[]>`
      select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') and pg_get_userbyid(c.relowner) = ${role}
        and (${maintain} or c.relname <> all(${COUNTER_TABLES as unknown as string[]}))`;
    for (const { name } of owned) await tx.unsafe(`alter table ${ident(name)} owner to current_user`);

    // Nobody but the owner creates objects in the schema (the default from PostgreSQL 15 on).
    await tx.unsafe(`revoke create on schema public from public`);
    await tx.unsafe(`grant usage on schema public to ${r}`);
    await tx.unsafe(`grant select, insert, update, delete on all tables in schema public to ${r}`);
    await tx.unsafe(`grant usage, select on all sequences in schema public to ${r}`);
    await tx.unsafe(`revoke update, delete, truncate, references, trigger on ${ident(AUDIT_TABLE)} from ${r}`);
    // The runner's own table: readable, so `migrate` run as the app's role can tell there is
    // nothing to apply (and says clearly when there is).
    await tx.unsafe(`grant usage on schema drizzle to ${r}`);
    await tx.unsafe(`grant select on drizzle.__drizzle_migrations to ${r}`);
    if (maintain) await tx.unsafe(`grant maintain on ${counters} to ${r}`);
    else for (const table of COUNTER_TABLES) await tx.unsafe(`alter table ${ident(table)} owner to ${r}`);
  });
  return { maintenance: maintain ? "maintain-privilege" : "owns-counter-tables" };
}

/**
 * Why the connected role is NOT a least-privileged runtime role (empty when it is): a superuser,
 * or the owner (or a member of the owner) of the audit table. Logged as a start-up warning.
 */
export async function leastPrivilegeProblems(sql: postgres.Sql): Promise<string[]> {
  const [row] = await sql<{ role: string; superuser: boolean; audit_owner: string | null; owns_audit: boolean | null }[]>`
    select current_user as role,
           (select rolsuper from pg_roles where rolname = current_user) as superuser,
           (select pg_get_userbyid(relowner) from pg_class where oid = to_regclass('public.audit_events')) as audit_owner,
           (select pg_has_role(current_user, relowner, 'USAGE') from pg_class where oid = to_regclass('public.audit_events')) as owns_audit`;
  if (!row) return [];
  const problems: string[] = [];
  if (row.superuser) problems.push(`the app connects as ${row.role}, a superuser`);
  else if (row.owns_audit) problems.push(`the app connects as ${row.role}, which owns audit_events (owner: ${row.audit_owner})`);
  return problems;
}

/**
 * Creates (or updates the password of) a LOGIN role for the app. Role names are cluster-wide, and
 * several starters may race (test runs): an advisory lock on the connected database orders them.
 */
export async function ensureLoginRole(sql: postgres.Sql, role: string, password: string): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(7243012)`;
    const [exists] = await tx`select 1 from pg_roles where rolname = ${role}`;
    const quotedPassword = `'${password.replaceAll("'", "''")}'`;
    if (exists) await tx.unsafe(`alter role ${ident(role)} with login nosuperuser nocreatedb nocreaterole password ${quotedPassword}`);
    else await tx.unsafe(`create role ${ident(role)} with login nosuperuser nocreatedb nocreaterole password ${quotedPassword}`);
  });
}

/** `url` with another user and password (same host, port, database and options). */
export function urlWithRole(url: string, role: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(role);
  u.password = encodeURIComponent(password);
  return u.toString();
}

/** The user name in a PostgreSQL URL (null when the URL names none). */
export function roleOfUrl(url: string): string | null {
  const user = new URL(url).username;
  return user ? decodeURIComponent(user) : null;
}
