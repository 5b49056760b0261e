// Global setup for integration and browser tests: finds PostgreSQL and Redis by the same rules
// as `npm start` (env URLs, else local services, else embedded PostgreSQL / a spawned
// redis-server), and prepares a migrated template database that each test file clones.
// Least privilege as in production (SPEC §3.8): the template is migrated by the server's owner
// role, which then grants the runtime role gatehouse_test_app its privileges; every test and the
// e2e web server connect as that runtime role (tests/helpers/database.ts).
import { randomBytes } from "node:crypto";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { migrateDatabase } from "../../db/migrate";
import { ensureLoginRole, urlWithRole } from "../../db/privileges";
import { resolvePostgres, resolveRedis, type Service } from "../../scripts/lib/services";

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
    /** The runtime role's URL (database "postgres"): tests put their own database name in it. */
    pgRuntimeUrl: string;
    templateDatabase: string;
    redisUrl: string;
  }
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

const TEST_RUNTIME_ROLE = "gatehouse_test_app";

export default async function setup(project: TestProject) {
  const log = (line: string) => console.log(`[test services] ${line}`);
  const dataDir = path.resolve(import.meta.dirname, "../../.data/test");
  const pg: Service = await resolvePostgres({
    envUrl: process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL,
    tryLocal: true,
    database: "postgres",
    dataDir,
    log,
  });
  const redis: Service = await resolveRedis({ envUrl: process.env.REDIS_URL, dataDir, log });

  const pgAdminUrl = withDatabase(pg.ownerUrl ?? pg.url, "postgres");
  const templateDatabase = `gh_template_${randomBytes(4).toString("hex")}`;
  const admin = postgres(pgAdminUrl, { max: 1, onnotice: () => {} });
  // Shared by every run on the server (roles are cluster-wide); its password is no secret.
  await ensureLoginRole(admin, TEST_RUNTIME_ROLE, TEST_RUNTIME_ROLE);
  await admin.unsafe(`create database ${templateDatabase}`);
  await migrateDatabase(withDatabase(pgAdminUrl, templateDatabase), { runtimeRole: TEST_RUNTIME_ROLE });

  project.provide("pgAdminUrl", pgAdminUrl);
  project.provide("pgRuntimeUrl", urlWithRole(pgAdminUrl, TEST_RUNTIME_ROLE, TEST_RUNTIME_ROLE));
  project.provide("templateDatabase", templateDatabase);
  project.provide("redisUrl", redis.url);

  return async () => {
    await admin.unsafe(`drop database if exists ${templateDatabase} with (force)`).catch(() => {});
    await admin.end({ timeout: 2 });
    await redis.stop();
    await pg.stop();
  };
}
