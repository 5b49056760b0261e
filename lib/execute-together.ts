import { sql, type SQLWrapper } from "drizzle-orm";
import type { Database } from "@/db/client";

/**
 * Runs several writes (drizzle insert/update builders, not yet run) as one statement — each a
 * data-modifying CTE — so they cost one round trip and succeed or fail together. PostgreSQL runs
 * every data-modifying CTE exactly once, whether or not the main query reads it. The writes
 * must not depend on each other's effects: they all see the same snapshot.
 */
export async function executeTogether(db: Database, writes: SQLWrapper[]): Promise<void> {
  if (writes.length === 0) return;
  if (writes.length === 1) {
    await db.execute(writes[0]!.getSQL());
    return;
  }
  const ctes = writes.map((write, i) => sql`${sql.raw(`write_${i}`)} as (${write.getSQL()})`);
  await db.execute(sql`with ${sql.join(ctes, sql`, `)} select 1`);
}
