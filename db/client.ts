import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { PgDatabase } from "drizzle-orm/pg-core";
import type { PostgresJsQueryResultHKT } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { env } from "@/lib/env.js";
import * as schema from "./schema";

/** A database handle or an open transaction: what every `lib/` function takes. */
export type Database = PgDatabase<PostgresJsQueryResultHKT, typeof schema>;

export interface DatabaseConnection {
  db: PostgresJsDatabase<typeof schema>;
  sql: postgres.Sql;
  close(): Promise<void>;
}

export function connectDatabase(url: string, options: { max?: number } = {}): DatabaseConnection {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    // int8 (counts, bigserial ids) as JS numbers: they stay far below 2^53.
    types: { int8: { to: 20, from: [20], serialize: (n: number) => String(n), parse: (s: string) => Number(s) } },
  });
  const db = drizzle(sql, { schema, casing: "snake_case" });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}

const cache = globalThis as unknown as { gatehouseDb?: DatabaseConnection };

/** The process-wide connection (web tier and worker), from DATABASE_URL. */
export function getDb(): PostgresJsDatabase<typeof schema> {
  if (!cache.gatehouseDb) {
    if (!env.DATABASE_URL) throw new Error("DATABASE_URL is not set (npm start sets it for the embedded database)");
    cache.gatehouseDb = connectDatabase(env.DATABASE_URL);
  }
  return cache.gatehouseDb.db;
}

export async function closeDb(): Promise<void> {
  await cache.gatehouseDb?.close();
  cache.gatehouseDb = undefined;
}
