// Small pieces for building SQL with drizzle's `sql` template, shared by the hand-written queries.
import { type SQL, sql } from "drizzle-orm";

/** The conditions joined with AND; none → `true` (matches every row). */
export function allOf(conditions: readonly SQL[]): SQL {
  return conditions.length > 0 ? sql.join([...conditions], sql` and `) : sql`true`;
}

/** `$1, $2, …` for an IN list (drizzle would otherwise bind the array as one value). */
export function inList(values: readonly string[]): SQL {
  return sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );
}
