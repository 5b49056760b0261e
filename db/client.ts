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

/**
 * Drizzle runs every query as an unnamed statement (postgres.js `prepare: false`), which
 * postgres.js sends in two round trips: parse and describe (to learn the parameter types), then
 * bind and execute. Prepared, a statement costs one round trip from its second use on a
 * connection — the hot paths (registration, notification claims) are a few statements run over
 * and over. This wraps the client (and the transaction and savepoint clients it hands out) so
 * parameterized queries are prepared. Plans stay per execution (plan_cache_mode below): a
 * generic plan could turn a selective filter of the waitlist into a scan. Each connection keeps
 * the statements it prepared until postgres.js retires it (max_lifetime, 30–60 min by default),
 * which bounds what variable-length IN lists accumulate.
 */
function preferPrepared(client: postgres.Sql): postgres.Sql {
  type Callback = (inner: postgres.Sql) => unknown;
  const wrapLast = (args: unknown[]) => {
    const callback = args.at(-1) as Callback;
    return [...args.slice(0, -1), (inner: postgres.Sql) => callback(preferPrepared(inner))];
  };
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === "unsafe") {
        return (query: string, parameters: postgres.ParameterOrJSON<never>[] = [], queryOptions: postgres.UnsafeQueryOptions = {}) =>
          target.unsafe(query, parameters, parameters.length > 0 ? { ...queryOptions, prepare: true } : queryOptions);
      }
      if (property === "begin" || property === "savepoint") {
        const method = Reflect.get(target, property, receiver) as (...args: unknown[]) => unknown;
        return (...args: unknown[]) => method.apply(target, wrapLast(args));
      }
      return Reflect.get(target, property, receiver);
    },
  });
}

export function connectDatabase(url: string, options: { max?: number } = {}): DatabaseConnection {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    // While the server is away (restart, fail-over), a failed connect waits before the next try.
    // postgres.js grows that wait to 20 s by default, so requests would wait up to 20 s for
    // their 503 and recovery would lag the server's return by as much: at most 1 s here.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
    // A server that does not answer at all (a fail-over moving its address) is given up on in
    // 10 s rather than 30: the request answers 503 and the next one tries again.
    connect_timeout: 10,
    connection: { plan_cache_mode: "force_custom_plan" },
    // int8 (counts, bigserial ids) as JS numbers: they stay far below 2^53.
    types: { int8: { to: 20, from: [20], serialize: (n: number) => String(n), parse: (s: string) => Number(s) } },
  });
  const db = drizzle(preferPrepared(sql), { schema, casing: "snake_case" });
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
