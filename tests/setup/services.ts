// Global setup for integration and browser tests: finds PostgreSQL and Redis by the same rules
// as `npm start` (env URLs, else local services, else embedded PostgreSQL / a spawned
// redis-server), and prepares a migrated template database that each test file clones.
import { randomBytes } from "node:crypto";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { migrateDatabase } from "../../db/migrate";
import { resolvePostgres, resolveRedis, type Service } from "../../scripts/lib/services";

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
    templateDatabase: string;
    redisUrl: string;
  }
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

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

  const pgAdminUrl = withDatabase(pg.url, "postgres");
  const templateDatabase = `gh_template_${randomBytes(4).toString("hex")}`;
  const admin = postgres(pgAdminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${templateDatabase}`);
  await migrateDatabase(withDatabase(pg.url, templateDatabase));

  project.provide("pgAdminUrl", pgAdminUrl);
  project.provide("templateDatabase", templateDatabase);
  project.provide("redisUrl", redis.url);

  return async () => {
    await admin.unsafe(`drop database if exists ${templateDatabase} with (force)`).catch(() => {});
    await admin.end({ timeout: 2 });
    await redis.stop();
    await pg.stop();
  };
}
