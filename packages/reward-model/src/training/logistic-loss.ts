import type { PairDifferences } from "./pair-differences.ts";

/** log(1 + e^(−m)) without overflow. */
export function logisticLoss(margin: number): number {
  return Math.max(-margin, 0) + Math.log1p(Math.exp(-Math.abs(margin)));
}

/** Adds mean over `rows` of ∂loss/∂w into `gradient` (scaled by `scale`); returns the summed loss. */
export function accumulateLossGradient(
  weights: Float64Array,
  rows: PairDifferences,
  selection: ArrayLike<number>,
  scale: number,
  gradient: Float64Array,
): number {
  const { offsets, indices, values } = rows;
  let loss = 0;
  for (let s = 0; s < selection.length; s++) {
    const row = selection[s] as number;
    const start = offsets[row] as number;
    const end = offsets[row + 1] as number;
    let margin = 0;
    for (let k = start; k < end; k++) margin += (weights[indices[k] as number] as number) * (values[k] as number);
    loss += logisticLoss(margin);
    // d/dm log(1 + e^(−m)) = −σ(−m)
    const coefficient = -scale / (1 + Math.exp(margin));
    for (let k = start; k < end; k++) {
      const index = indices[k] as number;
      gradient[index] = (gradient[index] as number) + coefficient * (values[k] as number);
    }
  }
  return loss;
}
