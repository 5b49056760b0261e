// BENCHMARKS.md and its chart: how the cost of each operation grows with the number of
// registrations (SPEC §7 "Growth": within 2× from the smallest size to the largest). The chart
// is a plain SVG written beside the page, relative cost (1 = the smallest size) against size.
import { execSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BenchRow } from "../bench/types";
import { formatTable } from "./bench-table";

export interface GrowthStage {
  registrations: number;
  results: { module: string; row: BenchRow }[];
}

interface Series {
  name: string;
  unit: string;
  values: (number | null)[];
}

const LIMIT = 2;
const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4d7c0f", "#be185d", "#475569", "#a16207", "#0f766e", "#7c3aed"];

const millions = (n: number) =>
  n >= 1_000_000 ? `${(n / 1_000_000).toLocaleString("en", { maximumFractionDigits: 1 })}M` : `${(n / 1_000).toLocaleString("en", { maximumFractionDigits: 1 })}k`;
const fixed = (n: number) => n.toLocaleString("en", { maximumFractionDigits: n >= 100 ? 0 : n >= 10 ? 1 : 2 });

function seriesOf(stages: GrowthStage[]): Series[] {
  const names: string[] = [];
  for (const stage of stages) for (const { row } of stage.results) if (row.growth && !names.includes(row.growth)) names.push(row.growth);
  return names.map((name) => {
    const rows = stages.map((stage) => stage.results.find(({ row }) => row.growth === name)?.row ?? null);
    return { name, unit: rows.find((r) => r)?.unit ?? "", values: rows.map((r) => (r && Number.isFinite(r.value) ? r.value : null)) };
  });
}

/** Cost at the largest size over cost at the smallest (null when either is missing). */
function growthRatio(series: Series): number | null {
  const first = series.values[0];
  const last = series.values.at(-1);
  return first && last !== null && last !== undefined && first > 0 ? last / first : null;
}

function chartSvg(sizes: number[], series: Series[]): string {
  const width = 1000;
  const height = 460;
  const plot = { left: 60, right: 560, top: 30, bottom: 400 };
  const ratios = series.flatMap((s) => s.values.map((v) => (v !== null && s.values[0] ? v / s.values[0] : null))).filter((v): v is number => v !== null);
  const yMax = Math.max(2.5, Math.ceil(Math.max(...ratios, 1) * 2) / 2 + 0.25);
  const logMin = Math.log10(sizes[0]!);
  const logMax = Math.log10(sizes.at(-1)!);
  const x = (n: number) => plot.left + ((Math.log10(n) - logMin) / Math.max(1e-9, logMax - logMin)) * (plot.right - plot.left);
  const y = (r: number) => plot.bottom - (r / yMax) * (plot.bottom - plot.top);
  const parts: string[] = [];
  parts.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  parts.push(`<text x="${plot.left}" y="18" font-size="14" font-weight="600">Cost per operation relative to ${millions(sizes[0]!)} registrations (lower is better; SPEC limit ${LIMIT}×)</text>`);
  for (let r = 0; r <= yMax + 1e-9; r += 0.5) {
    parts.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${y(r)}" y2="${y(r)}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${plot.left - 8}" y="${y(r) + 4}" font-size="11" text-anchor="end" fill="#374151">${r.toFixed(1)}×</text>`);
  }
  parts.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${y(LIMIT)}" y2="${y(LIMIT)}" stroke="#dc2626" stroke-dasharray="6 4"/>`);
  parts.push(`<text x="${plot.right - 4}" y="${y(LIMIT) - 6}" font-size="11" text-anchor="end" fill="#dc2626">limit ${LIMIT}×</text>`);
  for (const n of sizes) {
    parts.push(`<line x1="${x(n)}" x2="${x(n)}" y1="${plot.top}" y2="${plot.bottom}" stroke="#f3f4f6"/>`);
    parts.push(`<text x="${x(n)}" y="${plot.bottom + 18}" font-size="12" text-anchor="middle" fill="#374151">${millions(n)}</text>`);
  }
  parts.push(`<text x="${(plot.left + plot.right) / 2}" y="${plot.bottom + 40}" font-size="12" text-anchor="middle" fill="#374151">registrations (log scale)</text>`);
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const base = s.values[0];
    const points = s.values.map((v, j) => (v !== null && base ? `${x(sizes[j]!).toFixed(1)},${y(v / base).toFixed(1)}` : null)).filter(Boolean);
    if (points.length > 1) parts.push(`<polyline points="${points.join(" ")}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const p of points) {
      const [px, py] = p!.split(",");
      parts.push(`<circle cx="${px}" cy="${py}" r="3" fill="${color}"/>`);
    }
    const legendY = plot.top + 10 + i * 20;
    parts.push(`<line x1="${plot.right + 20}" x2="${plot.right + 40}" y1="${legendY}" y2="${legendY}" stroke="${color}" stroke-width="2"/>`);
    const ratio = growthRatio(s);
    const name = s.name.length > 58 ? `${s.name.slice(0, 57)}…` : s.name;
    const label = `${name}${ratio === null ? "" : ` — ${ratio.toFixed(2)}×`}`;
    parts.push(`<text x="${plot.right + 46}" y="${legendY + 4}" font-size="11" fill="#111827">${escapeXml(label)}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif">\n${parts.join("\n")}\n</svg>\n`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function machine(): string {
  const pg = (() => {
    try {
      return execSync("psql --version", { encoding: "utf8" }).trim();
    } catch {
      return "PostgreSQL (version unknown)";
    }
  })();
  return `${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${pg}`;
}

export function writeGrowthReport(root: string, stages: GrowthStage[], finalResults: { module: string; row: BenchRow }[]): { files: string[]; summary: string } {
  const sizes = stages.map((s) => s.registrations);
  const series = seriesOf(stages);
  const svgFile = "BENCHMARKS-growth.svg";
  writeFileSync(path.join(root, svgFile), chartSvg(sizes, series));
  const outside = series.filter((s) => (growthRatio(s) ?? 0) > LIMIT);
  const header = `| operation | ${sizes.map(millions).join(" | ")} | ${millions(sizes.at(-1)!)} / ${millions(sizes[0]!)} | within ${LIMIT}× |`;
  const rule = `|---|${sizes.map(() => "---:").join("|")}|---:|:---:|`;
  const rows = series.map((s) => {
    const ratio = growthRatio(s);
    return `| ${s.name} | ${s.values.map((v) => (v === null ? "—" : `${fixed(v)} ${s.unit}`)).join(" | ")} | ${ratio === null ? "—" : `${ratio.toFixed(2)}×`} | ${ratio === null ? "—" : ratio <= LIMIT ? "yes" : "**no**"} |`;
  });
  const page = `# Benchmarks

Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} (${machine()}). The machine is shared and
noisy: compare figures of one run, not across runs.

## How cost grows (SPEC §7)

The bench seeds ${millions(sizes[0]!)} registrations, measures, grows the same database to ${sizes.slice(1).map(millions).join(", then ")}
and measures again. Each line is one operation's cost per operation at each size; the SPEC asks that it stay within
${LIMIT}× of its cost at ${millions(sizes[0]!)}.

![Cost per operation relative to ${millions(sizes[0]!)} registrations](${svgFile})

${header}
${rule}
${rows.join("\n")}

${outside.length === 0 ? `Every operation stays within ${LIMIT}×.` : `Beyond ${LIMIT}×: ${outside.map((s) => s.name).join(", ")}.`}

## Every figure at ${millions(sizes.at(-1)!)} registrations

Each figure beside its target and the bare baseline measured in the same run.

\`\`\`
${formatTable(finalResults)}
\`\`\`
`;
  writeFileSync(path.join(root, "BENCHMARKS.md"), page);
  const summary = `growth ${millions(sizes[0]!)} → ${millions(sizes.at(-1)!)}: ${series.length} operations, ${outside.length} beyond ${LIMIT}×`;
  return { files: ["BENCHMARKS.md", svgFile], summary };
}
