/** One printed figure of `npm run bench`: the measurement, its target and the bare baseline measured in the same run. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** The SPEC target, or null when the row is informational. */
  target: number | null;
  /** The bare baseline for comparison, or null when there is none. */
  baseline: number | null;
}
