/** One printed figure of `npm run bench`: the measurement, its target and the bare baseline measured in the same run. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** The SPEC target, or null when the row is informational. */
  target: number | null;
  /** The bare baseline for comparison, or null when there is none. */
  baseline: number | null;
  /**
   * Names the operation when this figure is its cost per operation, measured at every size of a
   * growth run and charted in BENCHMARKS.md (SPEC §7 "Growth": within 2× from 1M to 10M).
   */
  growth?: string;
}
