import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { inject } from "vitest";
import { connectDatabase, type DatabaseConnection } from "../../db/client";

export interface TestDatabase extends DatabaseConnection {
  /** As the runtime role (what `db` and `sql` connect as, like the app in production). */
  url: string;
  name: string;
  /** As the owner role: for what only an owner may do (ANALYZE, TRUNCATE), never for app code. */
  ownerUrl: string;
  owner: postgres.Sql;
  /** Closes the connection and drops the database. */
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database cloned from the run's template, connected as the runtime role (the
 * suite runs with the app's privileges, not the owner's). Call drop() in afterAll.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject("pgAdminUrl");
  const template = inject("templateDatabase");
  const name = `gh_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    // Two files cloning the template at the same instant can collide; a retry settles it.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.unsafe(`create database ${name} template ${template}`);
        break;
      } catch (error) {
        if (attempt >= 20) throw error;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end({ timeout: 2 });
  }
  const url = new URL(inject("pgRuntimeUrl"));
  url.pathname = `/${name}`;
  const ownerUrl = new URL(adminUrl);
  ownerUrl.pathname = `/${name}`;
  const connection = connectDatabase(url.toString());
  const owner = postgres(ownerUrl.toString(), { max: 1, onnotice: () => {} });
  return {
    ...connection,
    url: url.toString(),
    name,
    ownerUrl: ownerUrl.toString(),
    owner,
    async drop() {
      await connection.close();
      await owner.end({ timeout: 2 });
      const cleanup = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      await cleanup.end({ timeout: 2 });
    },
  };
}

/** e2e: a connection to the database the test server runs against (shared by every e2e file). */
export function connectServerDatabase(): DatabaseConnection {
  return connectDatabase(inject("e2eDatabaseUrl"), { max: 3 });
}
