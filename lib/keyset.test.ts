import { describe, expect, it } from "vitest";
import { readDirection, toKeysetPage } from "./keyset";

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
