// Global setup of the browser tests (runs after tests/setup/services.ts): a database of its own
// cloned from the run's migrated template, a production build of the console (rebuilt only when
// the sources changed since the last build), and the web tier's entry (the front server with
// Next in it, as in production) on a free port against that database. Tests receive `baseUrl`
// and `e2eDatabaseUrl` through inject().
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { ensureProductionBuild } from "../helpers/production-build";
import { startWebServer, type WebServerProcess } from "../helpers/web-server-process";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    e2eDatabaseUrl: string;
    /** The server's QUEUE_PREFIX, for tests that run workers against it. */
    e2eQueuePrefix: string;
    /** The server's DATA_KEY: workers run by a test open the secrets the server sealed (webhook secrets). */
    e2eDataKey: string;
  }
}

const root = path.resolve(import.meta.dirname, "../..");
const artifacts = path.join(root, "test-artifacts");

function log(line: string) {
  console.log(`[web server] ${line}`);
}

function buildIfNeeded(): void {
  if (ensureProductionBuild(log) === "current") log("production build is current");
}

export default async function setup(project: TestProject) {
  mkdirSync(artifacts, { recursive: true });
  const { pgAdminUrl, pgRuntimeUrl, templateDatabase, redisUrl } = project.getProvidedContext();

  const databaseName = `gh_e2e_${randomBytes(5).toString("hex")}`;
  const admin = postgres(pgAdminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${databaseName} template ${templateDatabase}`);
  // The server and the tests connect as the runtime role, as in production.
  const databaseUrl = new URL(pgRuntimeUrl);
  databaseUrl.pathname = `/${databaseName}`;

  // Its own queue prefix: tests that start workers in-process see exactly this server's jobs
  // (the test that does so removes the keys).
  const queuePrefix = `gh-e2e-${randomBytes(5).toString("hex")}`;
  const dataKey = randomBytes(32).toString("base64url");

  let server: WebServerProcess | undefined;
  const teardown = async () => {
    if (server) await server.stop();
    await admin.unsafe(`drop database if exists ${databaseName} with (force)`).catch(() => {});
    await admin.end({ timeout: 2 });
  };

  try {
    buildIfNeeded();
    const started = Date.now();
    server = await startWebServer({
      logPath: path.join(artifacts, "web-server.log"),
      env: {
        DATABASE_URL: databaseUrl.toString(),
        REDIS_URL: redisUrl,
        QUEUE_PREFIX: queuePrefix,
        AUTH_SECRET: randomBytes(32).toString("base64url"),
        DATA_KEY: dataKey,
        // The shared server offers passwords only, whatever this shell has set (tests/e2e/sso-sign-in runs its own).
        AUTH_OIDC_ISSUER: "",
        AUTH_OIDC_CLIENT_ID: "",
        AUTH_OIDC_CLIENT_SECRET: "",
      },
    });
    const { baseUrl } = server;
    log(`web server healthy on ${baseUrl} in ${Date.now() - started} ms (log: test-artifacts/web-server.log)`);

    project.provide("baseUrl", baseUrl);
    project.provide("e2eDatabaseUrl", databaseUrl.toString());
    project.provide("e2eQueuePrefix", queuePrefix);
    project.provide("e2eDataKey", dataKey);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
