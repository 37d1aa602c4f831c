import { featurize, type RewardInput, type SparseBatch, type SparseFeatures } from "./featurize.ts";
import type { RewardModel } from "./reward-model.ts";

/**
 * w · x with float32 operands and a float64 sum in index order. Every CPU backend (this one,
 * the batched JS loop and the WebAssembly module) does exactly these operations in this
 * order, so they agree to the last bit.
 */
export function sparseDot(weights: Float32Array, features: SparseFeatures): number {
  let sum = 0;
  for (let i = 0; i < features.indices.length; i++) {
    sum += (weights[features.indices[i] as number] as number) * (features.values[i] as number);
  }
  return sum;
}

/** One reward per CSR row, written into `out`. */
export function sparseDotBatch(weights: Float32Array, batch: SparseBatch, out: Float64Array): Float64Array {
  const { offsets, indices, values } = batch;
  const rows = offsets.length - 1;
  for (let row = 0; row < rows; row++) {
    const end = offsets[row + 1] as number;
    let sum = 0;
    for (let i = offsets[row] as number; i < end; i++) sum += (weights[indices[i] as number] as number) * (values[i] as number);
    out[row] = sum;
  }
  return out;
}

/** The reference path: featurize one input at a time and take the dot product. */
export function scoreReference(model: RewardModel, inputs: readonly RewardInput[]): number[] {
  return inputs.map((input) => sparseDot(model.weights, featurize(model.featurizer, input)));
}
