import { bootstrapConfidenceInterval } from "@arbiter/ranking";

/**
 * Krippendorff's nominal α, in time linear in the number of values.
 *
 * `@arbiter/ranking`'s krippendorffAlpha builds a dense categories × categories coincidence
 * matrix and walks all of it for every unit. With the contract's verdict categories (every
 * response id is a category of its own) that is (2·items)² cells per unit, which does not
 * finish for a few thousand items. For nominal data only the diagonal and the marginals matter:
 * α = 1 − (n − 1)·(n − Σ_c o_cc) / (n² − Σ_c n_c²), with o_cc = Σ_u n_uc(n_uc − 1)/(m_u − 1)
 * — the same definition (units with one value are left out; null when undefined), checked
 * against krippendorffAlpha in the tests.
 */
export function nominalAlpha(units: readonly (readonly string[])[]): number | null {
  const prepared = prepareClusters([units]);
  return alphaOf(prepared.clusters, prepared.scratch);
}

/**
 * α over clusters of units (e.g. the response pairs of one ranked item) with a 95 % percentile
 * bootstrap that resamples whole clusters, seeded.
 */
export function nominalAlphaWithInterval(options: { clusters: readonly (readonly (readonly string[])[])[]; rounds: number; seed: number }): {
  alpha: number | null;
  ci: [number, number] | null;
} {
  const { clusters, scratch } = prepareClusters(options.clusters);
  const alpha = alphaOf(clusters, scratch);
  if (alpha === null) return { alpha, ci: null };
  const interval = bootstrapConfidenceInterval({
    units: clusters,
    statistic: (sample) => alphaOf(sample, scratch),
    rounds: options.rounds,
    seed: options.seed,
  });
  return { alpha, ci: interval.low !== null && interval.high !== null ? [interval.low, interval.high] : null };
}

/** A cluster's pairable values reduced to what α needs: their number, the agreeing pairs, and per category the count. */
interface PreparedCluster {
  values: number;
  agreeing: number;
  categories: Int32Array;
  counts: Float64Array;
}

function prepareClusters(input: readonly (readonly (readonly string[])[])[]): { clusters: PreparedCluster[]; scratch: Float64Array } {
  const codes = new Map<string, number>();
  const code = (value: string) => {
    let c = codes.get(value);
    if (c === undefined) codes.set(value, (c = codes.size));
    return c;
  };
  const clusters = input.map((units): PreparedCluster => {
    const counts = new Map<number, number>();
    let values = 0;
    let agreeing = 0;
    for (const unit of units) {
      if (unit.length < 2) continue;
      const inUnit = new Map<number, number>();
      for (const value of unit) {
        const c = code(value);
        inUnit.set(c, (inUnit.get(c) ?? 0) + 1);
      }
      for (const [c, count] of inUnit) {
        agreeing += (count * (count - 1)) / (unit.length - 1);
        counts.set(c, (counts.get(c) ?? 0) + count);
      }
      values += unit.length;
    }
    return { values, agreeing, categories: Int32Array.from(counts.keys()), counts: Float64Array.from(counts.values()) };
  });
  return { clusters, scratch: new Float64Array(codes.size) };
}

function alphaOf(clusters: readonly PreparedCluster[], marginals: Float64Array): number | null {
  let total = 0;
  let agreeing = 0;
  for (const cluster of clusters) {
    total += cluster.values;
    agreeing += cluster.agreeing;
    for (let i = 0; i < cluster.categories.length; i++) marginals[cluster.categories[i]!]! += cluster.counts[i]!;
  }
  let squares = 0;
  for (const cluster of clusters) {
    for (let i = 0; i < cluster.categories.length; i++) {
      const c = cluster.categories[i]!;
      squares += marginals[c]! * marginals[c]!;
      marginals[c] = 0;
    }
  }
  if (total <= 1) return null;
  const expected = total * total - squares;
  if (expected === 0) return null;
  return 1 - ((total - 1) * (total - agreeing)) / expected;
}
