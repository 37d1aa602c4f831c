export type RatingValue = string | number;

export type MeasurementLevel = "nominal" | "ordinal" | "interval" | "ratio";

export interface KrippendorffAlphaOptions {
  /** Units × raters; `null` where a rater did not rate a unit. Rows may differ in length. */
  data: readonly (readonly (RatingValue | null)[])[];
  level: MeasurementLevel;
  /**
   * Order of the categories for `ordinal` data given as strings (worst to best or best to
   * worst, either works). Numeric ordinal values are ordered numerically when omitted.
   */
  categoryOrder?: readonly RatingValue[];
}

/**
 * Krippendorff's alpha, computed from the coincidence matrix as in Krippendorff (2011),
 * "Computing Krippendorff's Alpha-Reliability". Any number of raters, missing values allowed.
 *
 * Returns `null` when alpha is undefined: no unit has two or more values (empty input, or a
 * single rater per unit), or every pairable value is the same (no variation, so expected
 * disagreement is 0 and alpha is 0/0).
 */
export function krippendorffAlpha(options: KrippendorffAlphaOptions): number | null {
  const { data, level } = options;
  const categories = orderedCategories(data, level, options.categoryOrder);
  const categoryCount = categories.length;
  const indexOf = new Map<RatingValue, number>(categories.map((value, index) => [value, index]));

  const coincidences = new Float64Array(categoryCount * categoryCount);
  const countsInUnit = new Float64Array(categoryCount);
  for (const unit of data) {
    countsInUnit.fill(0);
    let pairable = 0;
    for (const value of unit) {
      if (value === null) continue;
      countsInUnit[indexOf.get(value) as number]! += 1;
      pairable += 1;
    }
    // A lone value has nobody to agree or disagree with, so it carries no information.
    if (pairable < 2) continue;
    for (let c = 0; c < categoryCount; c++) {
      const countC = countsInUnit[c]!;
      if (countC === 0) continue;
      for (let k = 0; k < categoryCount; k++) {
        const pairs = c === k ? countC * (countC - 1) : countC * countsInUnit[k]!;
        coincidences[c * categoryCount + k]! += pairs / (pairable - 1);
      }
    }
  }

  const marginals = new Float64Array(categoryCount);
  for (let c = 0; c < categoryCount; c++) {
    for (let k = 0; k < categoryCount; k++) marginals[c]! += coincidences[c * categoryCount + k]!;
  }
  const total = marginals.reduce((sum, value) => sum + value, 0);
  if (total <= 1) return null;

  const distance = squaredDistance(level, categories, marginals);
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < categoryCount; c++) {
    for (let k = 0; k < categoryCount; k++) {
      const delta = distance(c, k);
      observed += coincidences[c * categoryCount + k]! * delta;
      expected += marginals[c]! * marginals[k]! * delta;
    }
  }
  if (expected === 0) return null;
  return 1 - ((total - 1) * observed) / expected;
}

function orderedCategories(data: KrippendorffAlphaOptions["data"], level: MeasurementLevel, categoryOrder: readonly RatingValue[] | undefined): RatingValue[] {
  const seen = new Set<RatingValue>();
  for (const unit of data) for (const value of unit) if (value !== null) seen.add(value);

  if (level === "ordinal" && categoryOrder) {
    const unknown = [...seen].filter((value) => !categoryOrder.includes(value));
    if (unknown.length > 0) throw new RangeError(`values missing from categoryOrder: ${unknown.join(", ")}`);
    return categoryOrder.filter((value) => seen.has(value));
  }
  if (level === "nominal") return [...seen];

  const numbers = [...seen].map((value) => {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new TypeError(`${level} alpha needs finite numbers (or categoryOrder for ordinal), got ${String(value)}`);
    }
    return value;
  });
  return numbers.sort((x, y) => x - y);
}

/** Krippendorff's difference functions δ²(c, k) over category indices. */
function squaredDistance(level: MeasurementLevel, categories: readonly RatingValue[], marginals: Float64Array): (c: number, k: number) => number {
  switch (level) {
    case "nominal":
      return (c, k) => (c === k ? 0 : 1);
    case "interval":
      return (c, k) => ((categories[c] as number) - (categories[k] as number)) ** 2;
    case "ratio":
      return (c, k) => {
        const x = categories[c] as number;
        const y = categories[k] as number;
        return x + y === 0 ? 0 : ((x - y) / (x + y)) ** 2;
      };
    case "ordinal": {
      // Ordinal distance counts how many pairable values lie between the two ranks, so it
      // depends on the observed marginals rather than on the category labels.
      const cumulative = new Float64Array(marginals.length + 1);
      for (let g = 0; g < marginals.length; g++) cumulative[g + 1] = cumulative[g]! + marginals[g]!;
      return (c, k) => {
        const low = Math.min(c, k);
        const high = Math.max(c, k);
        const between = cumulative[high + 1]! - cumulative[low]! - (marginals[low]! + marginals[high]!) / 2;
        return between * between;
      };
    }
  }
}
