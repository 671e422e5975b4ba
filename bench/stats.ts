/** What one benchmark reports: absolute figures, ratios against its in-run baseline, verdicts. */
export interface BenchResult {
  name: string;
  figures: Record<string, number>;
  verdicts: { target: string; pass: boolean }[];
}

/** The p-th percentile (nearest rank) of the values. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
