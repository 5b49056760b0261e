const countFormat = new Intl.NumberFormat("en-US");
const percentFormat = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });

export function formatCount(n: number): string {
  return countFormat.format(n);
}

export function formatPercent(ratio: number): string {
  return percentFormat.format(ratio);
}

/** "pending_verification" → "Pending verification". */
export function humanize(value: string): string {
  const text = value.replaceAll("_", " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "24 events", "10,000+ events" (the count stopped at its cap) or "≈ 1.2M events" (an estimate). */
export function formatListCount(count: { value: number; kind: "exact" | "atLeast" | "estimate" }, singular: string, plural: string): string {
  const noun = count.value === 1 ? singular : plural;
  if (count.kind === "estimate") return `≈ ${formatCount(count.value)} ${noun}`;
  if (count.kind === "atLeast") return `${formatCount(count.value)}+ ${noun}`;
  return `${formatCount(count.value)} ${noun}`;
}
