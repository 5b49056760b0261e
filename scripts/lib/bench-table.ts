// The table `npm run bench` prints: each figure beside its target and the bare baseline
// measured in the same run, the ratio between them, and whether the target is met.
import type { BenchRow } from "../bench/types";

/** Rates ("/s") are better higher; durations, sizes and ratios are better lower. */
export function higherIsBetter(unit: string): boolean {
  return /\/s$/.test(unit.trim());
}

export function verdict(row: BenchRow): "pass" | "FAIL" | "—" {
  if (row.target === null || !Number.isFinite(row.value)) return "—";
  const met = higherIsBetter(row.unit) ? row.value >= row.target : row.value <= row.target;
  return met ? "pass" : "FAIL";
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export function formatTable(rows: { module: string; row: BenchRow }[]): string {
  const header = ["module", "figure", "value", "target", "bare baseline", "ratio", "result"];
  const body = rows.map(({ module, row }) => {
    const unit = row.unit ? ` ${row.unit}` : "";
    const comparator = higherIsBetter(row.unit) ? "≥ " : "≤ ";
    return [
      module,
      row.name,
      `${formatNumber(row.value)}${unit}`,
      row.target === null ? "—" : `${comparator}${formatNumber(row.target)}${unit}`,
      row.baseline === null ? "—" : `${formatNumber(row.baseline)}${unit}`,
      row.baseline === null || row.baseline === 0 ? "—" : `${formatNumber(row.value / row.baseline)}×`,
      verdict(row),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 2 && i <= 5 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ");
  return [line(header), widths.map((w) => "─".repeat(w)).join("  "), ...body.map(line)].join("\n");
}
