import { createRng } from "../random.ts";

export interface SimulateHumanLabelsOptions {
  /** The true better response per item (ids). */
  gold: readonly string[];
  /** The other response per item: what a mistaken annotator picks. */
  other: readonly string[];
  /** Chance that one annotator picks the worse response. */
  flipRate: number;
  annotatorsPerItem?: number;
  seed: number | string;
}

/** Simulated crowd labels: each annotator reports the gold label, flipped with probability flipRate. */
export function simulateHumanLabels(options: SimulateHumanLabelsOptions): string[][] {
  const { gold, other, flipRate, annotatorsPerItem = 1, seed } = options;
  const rng = createRng(`humans:${seed}`);
  return gold.map((label, i) => Array.from({ length: annotatorsPerItem }, () => (rng() < flipRate ? (other[i] as string) : label)));
}
