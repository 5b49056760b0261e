import { describe, expect, it } from "vitest";
import { formatTable, higherIsBetter, verdict } from "./bench-table";

describe("bench table", () => {
  it("judges rates higher-is-better and everything else lower-is-better", () => {
    expect(higherIsBetter("msg/s")).toBe(true);
    expect(higherIsBetter("req/s")).toBe(true);
    expect(higherIsBetter("ms")).toBe(false);
    expect(higherIsBetter("MB")).toBe(false);
    expect(verdict({ name: "p95", value: 4.2, unit: "ms", target: 5, baseline: 500 })).toBe("pass");
    expect(verdict({ name: "p95", value: 5.2, unit: "ms", target: 5, baseline: 500 })).toBe("FAIL");
    expect(verdict({ name: "rate", value: 6000, unit: "msg/s", target: 5000, baseline: 20000 })).toBe("pass");
    expect(verdict({ name: "rate", value: 4000, unit: "msg/s", target: 5000, baseline: 20000 })).toBe("FAIL");
    expect(verdict({ name: "info", value: 1, unit: "ms", target: null, baseline: null })).toBe("—");
  });

  it("prints value, target, baseline, ratio and result in aligned columns", () => {
    const text = formatTable([
      { module: "position", row: { name: "position p95 (back)", value: 2.5, unit: "ms", target: 5, baseline: 536 } },
      { module: "notifications", row: { name: "sent/s", value: 6100, unit: "msg/s", target: 5000, baseline: 21000 } },
    ]);
    const lines = text.split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/position\s+position p95 \(back\)\s+2\.5 ms\s+≤ 5 ms\s+536 ms\s+0\.005×\s+pass/);
    expect(lines[3]).toMatch(/notifications\s+sent\/s\s+6,100 msg\/s\s+≥ 5,000 msg\/s\s+21,000 msg\/s\s+0\.29×\s+pass/);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });
});
