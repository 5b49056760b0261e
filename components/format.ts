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
