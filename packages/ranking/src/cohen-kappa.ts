import type { RatingValue } from "./krippendorff-alpha.ts";

export type KappaWeighting = "none" | "linear" | "quadratic";

export interface CohenKappaOptions {
  /** Labels from the first rater; `null` marks a missing label (the item is skipped). */
  ratingsA: readonly (RatingValue | null)[];
  /** Labels from the second rater, aligned with `ratingsA`. */
  ratingsB: readonly (RatingValue | null)[];
  /** Disagreement weights; `linear`/`quadratic` only make sense for ordered categories. */
  weighting?: KappaWeighting;
  /**
   * All categories in order. Needed for weighted kappa on string labels, and lets a category
   * nobody used still count in the weights' spacing. Defaults to the sorted observed labels.
   */
  categories?: readonly RatingValue[];
}

/**
 * Cohen's kappa for two raters (Cohen 1960), or weighted kappa (Cohen 1968) with linear
 * |i−j|/(k−1) or quadratic ((i−j)/(k−1))² disagreement weights:
 * κ_w = 1 − Σ w·observed / Σ w·expected-by-chance.
 *
 * Items where either label is missing are skipped. Returns `null` when kappa is undefined:
 * no complete pairs, or chance disagreement is 0 (both raters used one and the same single
 * category, so there was nothing to disagree about).
 */
export function cohenKappa(options: CohenKappaOptions): number | null {
  const { ratingsA, ratingsB, weighting = "none" } = options;
  if (ratingsA.length !== ratingsB.length) {
    throw new RangeError(`ratingsA has ${ratingsA.length} items but ratingsB has ${ratingsB.length}`);
  }
  const pairs: [RatingValue, RatingValue][] = [];
  for (let i = 0; i < ratingsA.length; i++) {
    const a = ratingsA[i];
    const b = ratingsB[i];
    if (a === null || a === undefined || b === null || b === undefined) continue;
    pairs.push([a, b]);
  }
  if (pairs.length === 0) return null;

  const categories = options.categories ?? sortedCategories(pairs.flat());
  const indexOf = new Map<RatingValue, number>(categories.map((value, index) => [value, index]));
  const k = categories.length;
  const observed = new Float64Array(k * k);
  const rowTotals = new Float64Array(k);
  const columnTotals = new Float64Array(k);
  for (const [a, b] of pairs) {
    const i = indexOf.get(a);
    const j = indexOf.get(b);
    if (i === undefined || j === undefined) {
      throw new RangeError(`label ${String(i === undefined ? a : b)} is not in categories`);
    }
    observed[i * k + j]! += 1;
    rowTotals[i]! += 1;
    columnTotals[j]! += 1;
  }

  const n = pairs.length;
  let observedDisagreement = 0;
  let expectedDisagreement = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const weight = disagreementWeight(weighting, i, j, k);
      observedDisagreement += (weight * observed[i * k + j]!) / n;
      expectedDisagreement += (weight * rowTotals[i]! * columnTotals[j]!) / (n * n);
    }
  }
  if (expectedDisagreement === 0) return null;
  return 1 - observedDisagreement / expectedDisagreement;
}

function disagreementWeight(weighting: KappaWeighting, i: number, j: number, k: number): number {
  if (i === j) return 0;
  if (weighting === "none" || k < 2) return 1;
  const distance = Math.abs(i - j) / (k - 1);
  return weighting === "linear" ? distance : distance * distance;
}

function sortedCategories(values: readonly RatingValue[]): RatingValue[] {
  const unique = [...new Set(values)];
  if (unique.every((value) => typeof value === "number")) return (unique as number[]).sort((x, y) => x - y);
  return unique.sort((x, y) => String(x).localeCompare(String(y)));
}
