import { describe, expect, it } from "vitest";
import { createBatcher } from "./batcher";

describe("createBatcher", () => {
  it("coalesces concurrent calls and answers each caller with its own result", async () => {
    const batches: number[][] = [];
    const double = createBatcher(async (items: number[]) => {
      batches.push(items);
      await new Promise((r) => setTimeout(r, 5));
      return items.map((n) => n * 2);
    }, { maxSize: 10, maxInFlight: 1 });
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => double(i)));
    expect(results).toEqual(Array.from({ length: 25 }, (_, i) => i * 2));
    expect(batches.length).toBeLessThan(25);
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(10);
  });

  it("rejects every caller of a failed batch and keeps working afterwards", async () => {
    let fail = true;
    const call = createBatcher(async (items: string[]) => {
      if (fail) throw new Error("database down");
      return items;
    });
    await expect(Promise.all([call("a"), call("b")])).rejects.toThrow("database down");
    fail = false;
    expect(await call("c")).toBe("c");
  });
});
