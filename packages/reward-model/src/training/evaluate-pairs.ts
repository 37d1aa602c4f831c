import { logisticLoss } from "./logistic-loss.ts";
import type { PairDifferences } from "./pair-differences.ts";

/** Rows scored between two pauses when evaluating. */
const ROWS_PER_STEP = 512;

/** Accuracy (a tie counts one half) and mean logistic loss of `weights` on the pairs, pausing every few hundred rows. */
export function* evaluatePairs(weights: Float32Array, rows: PairDifferences): Generator<void, { accuracy: number; loss: number }, void> {
  const count = rows.offsets.length - 1;
  return summarize(yield* margins(weights, rows, new Float64Array(count)));
}

/** The margins w·(φ(chosen) − φ(rejected)) of every row, pausing every few hundred rows. */
export function* marginsOf(weights: Float32Array, rows: PairDifferences): Generator<void, Float64Array, void> {
  return yield* margins(weights, rows, new Float64Array(rows.offsets.length - 1));
}

/** Accuracy and mean logistic loss from margins already computed. */
export function summarizeMargins(m: Float64Array): { accuracy: number; loss: number } {
  return summarize(m);
}

function* margins(weights: ArrayLike<number>, rows: PairDifferences, out: Float64Array): Generator<void, Float64Array, void> {
  const count = rows.offsets.length - 1;
  for (let from = 0; from < count; from += ROWS_PER_STEP) {
    marginRows(weights, rows, out, from, Math.min(from + ROWS_PER_STEP, count));
    if (from + ROWS_PER_STEP < count) yield;
  }
  return out;
}

/** Margins w·(φ(chosen) − φ(rejected)) of rows [from, to) into `out`. */
function marginRows(weights: ArrayLike<number>, rows: PairDifferences, out: Float64Array, from: number, to: number): void {
  const { offsets, indices, values } = rows;
  for (let row = from; row < to; row++) {
    let sum = 0;
    for (let k = offsets[row] as number; k < (offsets[row + 1] as number); k++) {
      sum += (weights[indices[k] as number] as number) * (values[k] as number);
    }
    out[row] = sum;
  }
}

function summarize(m: Float64Array): { accuracy: number; loss: number } {
  const count = m.length;
  let correct = 0;
  let loss = 0;
  for (const margin of m) {
    correct += margin > 0 ? 1 : margin === 0 ? 0.5 : 0;
    loss += logisticLoss(margin);
  }
  return { accuracy: correct / count, loss: loss / count };
}
