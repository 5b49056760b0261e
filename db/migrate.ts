import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

export const migrationsFolder = path.resolve(import.meta.dirname, "migrations");

/**
 * Applies the committed migrations. An advisory lock makes concurrent starters (web, workers,
 * test files) wait for one another instead of racing.
 */
export async function migrateDatabase(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(7243011)`;
    await migrate(drizzle(sql), { migrationsFolder });
    await sql`select pg_advisory_unlock(7243011)`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
