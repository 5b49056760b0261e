import type postgres from "postgres";
import type { Database } from "../../db/client";

/**
 * What `npm run bench` hands every benchmark module: each `scripts/bench/<name>.ts` exports an
 * async `bench…(context)` function returning `BenchRow[]` (./types.ts). Modules may take a
 * narrower options type; the runner passes this whole object.
 */
export interface BenchContext {
  /** The seeded bench database (a raw client and the Drizzle handle over it). */
  sql: postgres.Sql;
  db: Database;
  databaseUrl: string;
  redisUrl: string;
  /** Registrations in the data set. */
  registrations: number;
  /**
   * The last (or only) size of this run: modules measure their SPEC targets and baselines here,
   * and only what shows how cost grows at the sizes before it.
   */
  final: boolean;
  log: (line: string) => void;
}
