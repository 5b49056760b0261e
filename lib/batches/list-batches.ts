// The batches list of the console and the admin API: keyset pages on (created_at, id), newest
// first, with an id cursor both ways. Batches are few (one per
// staff decision), so the created_at index and the status/kind filters are enough.
import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import { batches, batchKind, batchStatus, staffUsers, type Batch } from "@/db/schema";
import { type Actor, assertCan } from "@/lib/auth/roles";
import { iteratePages, type KeysetPage, toKeysetPage } from "@/lib/keyset";

/** The largest page one read returns (the export reads pages of this size). */
export const MAX_BATCH_PAGE = 200;

export const batchListInput = z.object({
  status: z.enum(batchStatus.enumValues).optional(),
  kind: z.enum(batchKind.enumValues).optional(),
  /** Id of the last row of the previous page (`after`) or the first row of the next one (`before`). */
  after: z.uuid().optional(),
  before: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(MAX_BATCH_PAGE).default(50),
});
export type BatchListInput = z.input<typeof batchListInput>;

export type BatchListRow = Batch & { createdByEmail: string | null };

export type BatchListPage = KeysetPage<BatchListRow, string>;

/** `(created_at, id)` strictly beyond the cursor row, in the direction read. */
function beyond(cursorId: string, direction: "desc" | "asc"): SQL {
  const at = sql`(select created_at from batches where id = ${cursorId})`;
  return direction === "desc"
    ? sql`(${batches.createdAt}, ${batches.id}) < (${at}, ${cursorId}::uuid)`
    : sql`(${batches.createdAt}, ${batches.id}) > (${at}, ${cursorId}::uuid)`;
}

export async function listBatchesPage(db: Database, actor: Actor, rawInput: BatchListInput): Promise<BatchListPage> {
  assertCan(actor, "view");
  const input = batchListInput.parse(rawInput);
  const filters: SQL[] = [];
  if (input.status) filters.push(eq(batches.status, input.status));
  if (input.kind) filters.push(eq(batches.kind, input.kind));

  // Paging backwards reads oldest-first from the `before` cursor, then flips the rows.
  const backwards = input.before !== undefined;
  const cursor = input.before ?? input.after;
  const direction = backwards ? "asc" : "desc";
  const conditions = cursor !== undefined ? [...filters, beyond(cursor, direction)] : filters;
  const order = direction === "desc" ? [desc(batches.createdAt), desc(batches.id)] : [asc(batches.createdAt), asc(batches.id)];

  const fetched = await db
    .select({ batch: batches, createdByEmail: staffUsers.email })
    .from(batches)
    .leftJoin(staffUsers, eq(staffUsers.id, batches.createdBy))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(...order)
    .limit(input.limit + 1);
  const rows = fetched.map((r): BatchListRow => ({ ...r.batch, createdByEmail: r.createdByEmail }));
  return toKeysetPage(rows, { limit: input.limit, backwards, fromCursor: cursor !== undefined });
}

/** Every batch the filters match, newest first, a keyset page at a time (the console's CSV export). */
export function iterateBatches(
  db: Database,
  actor: Actor,
  rawInput: Omit<BatchListInput, "after" | "before" | "limit">,
  pageSize = MAX_BATCH_PAGE,
): AsyncGenerator<BatchListRow[]> {
  // A larger page would fail the list's own limit half-way through a streamed export.
  const limit = Math.min(pageSize, MAX_BATCH_PAGE);
  return iteratePages((after: string | undefined) => listBatchesPage(db, actor, { ...rawInput, after, limit }));
}
