import type { Budget } from "../types.ts";

// 0.29 × 100 is 28.999999999999996 in floating point; without the slack that would be 28.
const FLOOR_SLACK = 1e-9;

/**
 * The largest number of items that may go to humans: floor(fraction × itemCount) for a fraction,
 * min(count, itemCount) for a count. Throws on a negative, non-finite or non-integer count.
 */
export function resolveBudget(budget: Budget, itemCount: number): number {
  if (typeof budget === "number") {
    if (!Number.isFinite(budget) || budget < 0) throw new Error(`budget must be a non-negative number, got ${budget}`);
    if (budget <= 1) return resolveBudget({ fraction: budget }, itemCount);
    if (!Number.isInteger(budget)) throw new Error(`budget above 1 must be an integer count, got ${budget}`);
    return resolveBudget({ count: budget }, itemCount);
  }
  if ("fraction" in budget) {
    const { fraction } = budget;
    if (!Number.isFinite(fraction) || fraction < 0 || fraction > 1) throw new Error(`budget fraction must be in [0, 1], got ${fraction}`);
    return Math.min(itemCount, Math.floor(fraction * itemCount + FLOOR_SLACK));
  }
  const { count } = budget;
  if (!Number.isInteger(count) || count < 0) throw new Error(`budget count must be a non-negative integer, got ${count}`);
  return Math.min(itemCount, count);
}
