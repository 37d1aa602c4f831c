import { quantileOfSorted } from "./order-statistics.ts";
import { createSeededRandom, randomInteger } from "./seeded-random.ts";

export interface BootstrapConfidenceIntervalOptions<Unit> {
  /** The resampling units, e.g. the rows of a reliability matrix (resample units, not ratings). */
  units: readonly Unit[];
  /** The statistic; `null` (undefined on this sample, e.g. alpha without variation) skips the round. */
  statistic: (sample: readonly Unit[]) => number | null;
  rounds?: number;
  /** Two-sided coverage, 0.95 gives the 2.5 % and 97.5 % percentiles. */
  confidence?: number;
  seed?: number;
}

export interface BootstrapConfidenceInterval {
  /** The statistic on the full data; `null` when undefined there. */
  estimate: number | null;
  /** Percentile bounds; `null` when no round produced a value. */
  low: number | null;
  high: number | null;
  /** Rounds that produced a value (the others resampled to an undefined statistic). */
  validRounds: number;
}

/**
 * Percentile bootstrap over units (Efron). Deterministic under `seed`, so a reported interval
 * can be recomputed exactly.
 */
export function bootstrapConfidenceInterval<Unit>(options: BootstrapConfidenceIntervalOptions<Unit>): BootstrapConfidenceInterval {
  const { units, statistic, rounds = 1000, confidence = 0.95, seed = 1 } = options;
  const estimate = units.length === 0 ? null : statistic(units);
  const random = createSeededRandom(seed);
  const values: number[] = [];
  if (units.length > 0) {
    const sample = new Array<Unit>(units.length);
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < units.length; i++) sample[i] = units[randomInteger(random, units.length)]!;
      const value = statistic(sample);
      if (value !== null && Number.isFinite(value)) values.push(value);
    }
  }
  values.sort((x, y) => x - y);
  const tail = (1 - confidence) / 2;
  return {
    estimate,
    low: values.length === 0 ? null : quantileOfSorted(values, tail),
    high: values.length === 0 ? null : quantileOfSorted(values, 1 - tail),
    validRounds: values.length,
  };
}
