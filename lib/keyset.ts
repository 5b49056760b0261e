// Keyset paging in both directions, shared by every console list. A page is read from a cursor
// row: `after` = the last row of the current page (next page), `before` = the first row of the
// current page (previous page). Paging backwards reads in the opposite order from the cursor and
// flips the rows back, so no list ever needs OFFSET.

export type SortDirection = "asc" | "desc";

export interface KeysetPage<Row, Cursor> {
  rows: Row[];
  /** Pass as `after` for the next page; null on the last page. */
  nextCursor: Cursor | null;
  /** Pass as `before` for the previous page; null on the first page. */
  previousCursor: Cursor | null;
}

/** The order to read in: the list's own, or its reverse when paging backwards. */
export function readDirection(listDirection: SortDirection, backwards: boolean): SortDirection {
  if (!backwards) return listDirection;
  return listDirection === "desc" ? "asc" : "desc";
}

/**
 * Turns up to `limit + 1` rows read from a cursor into a page in display order. The extra row
 * only says that more rows lie in the read direction.
 */
export function toKeysetPage<Row extends { id: unknown }>(
  fetched: Row[],
  options: { limit: number; backwards: boolean; fromCursor: boolean },
): KeysetPage<Row, Row["id"]> {
  const hasMore = fetched.length > options.limit;
  const rows = fetched.slice(0, options.limit);
  if (options.backwards) rows.reverse();
  const first = rows[0];
  const last = rows.at(-1);
  return {
    rows,
    // Forwards: more rows beyond the last one if we over-fetched. Backwards: we came from there.
    nextCursor: last && (options.backwards || hasMore) ? last.id : null,
    // Forwards: a previous page exists whenever we started from a cursor. Backwards: if we over-fetched.
    previousCursor: first && (options.backwards ? hasMore : options.fromCursor) ? first.id : null,
  };
}

/**
 * Every row of a keyset-paged list, read one page at a time from the first (the CSV exports):
 * memory stays bounded however many rows match.
 */
export async function* iteratePages<Row, Cursor>(readPage: (after: Cursor | undefined) => Promise<KeysetPage<Row, Cursor>>): AsyncGenerator<Row[]> {
  let after: Cursor | undefined;
  for (;;) {
    const page = await readPage(after);
    if (page.rows.length > 0) yield page.rows;
    if (page.nextCursor === null) return;
    after = page.nextCursor;
  }
}
