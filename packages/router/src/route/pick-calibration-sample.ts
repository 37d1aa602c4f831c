import { extractItemFeatures } from "../features/extract-item-features.ts";
import type { ItemFeatures } from "../features/feature-definitions.ts";
import { judgeUncertainty } from "../model/disagreement-model.ts";
import { seededUnit } from "../random.ts";
import type { Budget, RoutingItem } from "../types.ts";
import { resolveBudget } from "./resolve-budget.ts";

export interface PickCalibrationSampleOptions {
  items: readonly RoutingItem[];
  /** How many items get both a human and a judge label (fraction or count, as for routing). */
  size: Budget;
  seed?: number | string;
  /**
   * Stratum of an item. By default: tercile of the judge's uncertainty × tercile of the relative
   * length difference, the two signals the disagreement model leans on most, so that the
   * calibration sample covers confident and unsure verdicts, similar and very different pairs.
   */
  stratumOf?: (features: ItemFeatures, item: RoutingItem) => string;
  /** Precomputed features by item id, if the caller already has them. */
  features?: ReadonlyMap<string, ItemFeatures>;
}

export interface CalibrationSample {
  /** Picked item ids, in input order. */
  ids: string[];
  strata: Record<string, { available: number; picked: number }>;
}

function tercileCuts(values: readonly number[]): [number, number] {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return [at(1 / 3), at(2 / 3)];
}

function tercile(value: number, [low, high]: [number, number]): number {
  return value < low ? 0 : value < high ? 1 : 2;
}

function defaultStrata(features: readonly ItemFeatures[]): string[] {
  const uncertainty = features.map((f) => judgeUncertainty(f).score);
  const lengthDiff = features.map((f) => f.length_diff_relative ?? 0);
  const uCuts = tercileCuts(uncertainty);
  const lCuts = tercileCuts(lengthDiff);
  return features.map((_, i) => `uncertainty${tercile(uncertainty[i] as number, uCuts)}-lengthdiff${tercile(lengthDiff[i] as number, lCuts)}`);
}

/**
 * Stratified random sample of items to label twice (humans and judge), the training data of the
 * disagreement model. Each stratum gets its proportional share (largest remainder); within a
 * stratum items are drawn by a hash of (seed, id), so the pick depends only on the seed and the
 * set of items, not on their order.
 */
export function pickCalibrationSample(options: PickCalibrationSampleOptions): CalibrationSample {
  const { items, seed = 0 } = options;
  const total = resolveBudget(options.size, items.length);
  const features = items.map((item) => options.features?.get(item.id) ?? extractItemFeatures(item));
  const keys = options.stratumOf ? items.map((item, i) => options.stratumOf?.(features[i] as ItemFeatures, item) ?? "") : defaultStrata(features);

  const groups = new Map<string, number[]>();
  keys.forEach((key, i) => groups.set(key, [...(groups.get(key) ?? []), i]));
  const strataKeys = [...groups.keys()].sort();

  const quotas = new Map<string, number>();
  let assigned = 0;
  for (const key of strataKeys) {
    const exact = (total * (groups.get(key) as number[]).length) / items.length;
    quotas.set(key, Math.floor(exact));
    assigned += Math.floor(exact);
  }
  const byRemainder = [...strataKeys].sort((a, b) => {
    const remainder = (key: string) => (total * (groups.get(key) as number[]).length) / items.length - (quotas.get(key) as number);
    return remainder(b) - remainder(a) || seededUnit(seed, `stratum:${a}`) - seededUnit(seed, `stratum:${b}`);
  });
  for (const key of byRemainder) {
    if (assigned >= total) break;
    quotas.set(key, (quotas.get(key) as number) + 1);
    assigned++;
  }

  const picked = new Set<number>();
  const strata: CalibrationSample["strata"] = {};
  for (const key of strataKeys) {
    const members = groups.get(key) as number[];
    const ordered = [...members].sort((a, b) => {
      const idA = (items[a] as RoutingItem).id;
      const idB = (items[b] as RoutingItem).id;
      return seededUnit(seed, idA) - seededUnit(seed, idB) || (idA < idB ? -1 : idA > idB ? 1 : 0);
    });
    const quota = quotas.get(key) as number;
    for (const index of ordered.slice(0, quota)) picked.add(index);
    strata[key] = { available: members.length, picked: quota };
  }
  return { ids: items.flatMap((item, i) => (picked.has(i) ? [item.id] : [])), strata };
}
