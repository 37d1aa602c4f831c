import { accumulateLossGradient } from "./logistic-loss.ts";
import { lbfgsSteps } from "./minimize-lbfgs.ts";
import type { PairDifferences } from "./pair-differences.ts";

/**
 * Full-batch L-BFGS on the mean logistic loss plus (l2 / 2)·‖w‖². Pauses where lbfgsSteps
 * does: after every objective evaluation and every pass of the two-loop recursion.
 */
export function* trainLbfgs(
  rows: PairDifferences,
  dimension: number,
  l2: number,
  maxIterations: number,
): Generator<void, { weights: Float64Array; iterations: number }, void> {
  const count = rows.offsets.length - 1;
  const all = Uint32Array.from({ length: count }, (_, i) => i);
  const weights = new Float64Array(dimension);
  const iterations = yield* lbfgsSteps(
    (w, gradient) => {
      let penalty = 0;
      for (let i = 0; i < w.length; i++) {
        const wi = w[i] as number;
        gradient[i] = l2 * wi;
        penalty += wi * wi;
      }
      return accumulateLossGradient(w, rows, all, 1 / count, gradient) / count + 0.5 * l2 * penalty;
    },
    weights,
    { maxIterations, gradientTolerance: 1e-7 },
  );
  return { weights, iterations };
}
