/** Latency summaries for the benchmarks and fault scripts. */

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export function summarize(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN };
}

/** A summary's figures to one decimal, for printing. */
export function roundFigures(summary: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(summary).map(([k, v]) => [k, Number(v.toFixed(1))]));
}

export function machineLine(): string {
  return `2-core node-svc (Node ${process.version}), ${new Date().toISOString().slice(0, 10)}`;
}
