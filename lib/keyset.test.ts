import { describe, expect, it } from "vitest";
import { iteratePages, readDirection, toKeysetPage } from "./keyset";

const rows = (...ids: number[]) => ids.map((id) => ({ id }));

describe("keyset paging", () => {
  it("reverses the read order only when paging backwards", () => {
    expect(readDirection("desc", false)).toBe("desc");
    expect(readDirection("desc", true)).toBe("asc");
    expect(readDirection("asc", true)).toBe("desc");
  });

  it("first page: a next cursor when over-fetched, no previous", () => {
    expect(toKeysetPage(rows(9, 8, 7), { limit: 2, backwards: false, fromCursor: false })).toEqual({
      rows: rows(9, 8),
      nextCursor: 8,
      previousCursor: null,
    });
  });

  it("last page forwards: previous but no next", () => {
    expect(toKeysetPage(rows(2, 1), { limit: 2, backwards: false, fromCursor: true })).toEqual({
      rows: rows(2, 1),
      nextCursor: null,
      previousCursor: 2,
    });
  });

  it("backwards: rows flipped into display order; previous only when over-fetched", () => {
    expect(toKeysetPage(rows(5, 6, 7), { limit: 2, backwards: true, fromCursor: true })).toEqual({
      rows: rows(6, 5),
      nextCursor: 5,
      previousCursor: 6,
    });
    expect(toKeysetPage(rows(5, 6), { limit: 2, backwards: true, fromCursor: true }).previousCursor).toBeNull();
  });

  it("an empty page has no cursors", () => {
    expect(toKeysetPage(rows(), { limit: 2, backwards: false, fromCursor: true })).toEqual({ rows: [], nextCursor: null, previousCursor: null });
  });
});

describe("iteratePages", () => {
  it("reads page after page from the first until there is no next cursor, skipping empty pages", async () => {
    const all = [1, 2, 3, 4, 5, 6, 7];
    const cursors: (number | undefined)[] = [];
    const pages: number[][] = [];
    for await (const page of iteratePages(async (after: number | undefined) => {
      cursors.push(after);
      const rows = all.filter((n) => after === undefined || n > after).slice(0, 3);
      return { rows, nextCursor: rows.length === 3 && rows.at(-1)! < 7 ? rows.at(-1)! : null, previousCursor: null };
    })) {
      pages.push(page);
    }
    expect(pages).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(cursors).toEqual([undefined, 3, 6]);
  });
});
