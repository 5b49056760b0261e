import { inject } from "vitest";
import { connectDatabase, type DatabaseConnection } from "../../../db/client";

/** A connection to the database the test server runs against (shared by every e2e file). */
export function connectServerDatabase(): DatabaseConnection {
  return connectDatabase(inject("e2eDatabaseUrl"), { max: 3 });
}
