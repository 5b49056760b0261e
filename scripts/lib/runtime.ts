// What `npm start`, the CLI and the bench share: the validated env, the data directory, the
// auth secret and the application database (DATABASE_URL, else the embedded one under .data).
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Env } from "@/lib/env.js";
import { roleOfUrl } from "@/db/privileges";
import { makePrivateDir, resolvePostgres, type Service } from "./services";

/** An error whose message is all the operator needs: printed as one line, no stack trace. */
export class OperatorError extends Error {
  override name = "OperatorError";
}

export const APP_DATABASE = "gatehouse";

/**
 * The env module parses process.env when first imported; a bad value throws an EnvError whose
 * message names the variable. Imported here, dynamically, so callers can print just that.
 */
export async function loadEnv(): Promise<Env> {
  try {
    const { env } = await import("@/lib/env.js");
    return env;
  } catch (error) {
    if (error instanceof Error && error.name === "EnvError") throw new OperatorError(error.message);
    throw error;
  }
}

/** The data directory, private to its owner (makePrivateDir): secrets, the database, the log outbox live there. */
export function resolveDataDir(env: Env): string {
  const dir = path.resolve(env.DATA_DIR);
  makePrivateDir(dir);
  return dir;
}

/**
 * AUTH_SECRET from the environment, else the one generated on first start into
 * `<data>/auth-secret` (readable by the owner only), so sessions survive restarts.
 */
export function ensureAuthSecret(env: Env, dataDir: string): { secret: string; origin: string } {
  if (env.AUTH_SECRET) return { secret: env.AUTH_SECRET, origin: "AUTH_SECRET" };
  const file = path.join(dataDir, "auth-secret");
  if (existsSync(file)) {
    const stored = readFileSync(file, "utf8").trim();
    if (stored.length >= 32) return { secret: stored, origin: file };
  }
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { secret, origin: `${file} (generated)` };
}

export interface AppDatabase extends Service {
  /** The owner role's URL: migrations (and the operators' bulk chores: seeds, the bench) run as it. */
  migrationUrl: string;
  /** The role `url` connects as, granted its privileges by the migration run; null when it is the owner. */
  runtimeRole: string | null;
}

/**
 * DATABASE_URL if set, else the embedded PostgreSQL under `<data>/postgres` (started if needed),
 * with the owner role that migrates it: MIGRATION_DATABASE_URL, the embedded cluster's own, or —
 * least privilege off, said once in the log — DATABASE_URL itself.
 */
export async function resolveAppDatabase(env: Env, dataDir: string, log: (line: string) => void): Promise<AppDatabase> {
  const service = await resolvePostgres({ envUrl: env.DATABASE_URL, tryLocal: false, database: APP_DATABASE, dataDir, log });
  const migrationUrl = env.DATABASE_URL ? (env.MIGRATION_DATABASE_URL ?? env.DATABASE_URL) : (service.ownerUrl ?? service.url);
  const runtimeRole = roleOfUrl(service.url);
  if (migrationUrl === service.url || !runtimeRole || runtimeRole === roleOfUrl(migrationUrl)) {
    log(
      "warning: least privilege is OFF — MIGRATION_DATABASE_URL is not set (or names the same role as DATABASE_URL), so the app connects as the role that owns the tables and could rewrite the audit log. Set MIGRATION_DATABASE_URL to the owner role and DATABASE_URL to a runtime role (README › PostgreSQL roles).",
    );
    return { ...service, migrationUrl, runtimeRole: null };
  }
  return { ...service, migrationUrl, runtimeRole };
}

/**
 * Runs a command's main function: an OperatorError (or EnvError) prints its message only and
 * exits 1; anything else is a bug and keeps its stack.
 */
export function runMain(main: () => Promise<number | void>): void {
  main().then(
    (code) => process.exit(code ?? 0),
    (error: unknown) => {
      if (error instanceof OperatorError) {
        console.error(error.message);
        process.exit(1);
      }
      console.error(error);
      process.exit(1);
    },
  );
}
