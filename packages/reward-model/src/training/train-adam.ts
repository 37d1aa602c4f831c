import { shuffleInPlace, type RandomSource } from "@arbiter/ranking/random";
import { accumulateLossGradient } from "./logistic-loss.ts";
import type { PairDifferences } from "./pair-differences.ts";

export interface AdamSettings {
  readonly l2: number;
  readonly epochs: number;
  readonly learningRate: number;
  readonly batchSize: number;
}

/** Mini-batch Adam over `epochs` passes in a seeded order. Pauses after every batch. */
export function* trainAdam(rows: PairDifferences, dimension: number, settings: AdamSettings, random: RandomSource): Generator<void, Float64Array, void> {
  const count = rows.offsets.length - 1;
  const weights = new Float64Array(dimension);
  const gradient = new Float64Array(dimension);
  const firstMoment = new Float64Array(dimension);
  const secondMoment = new Float64Array(dimension);
  const order = Array.from({ length: count }, (_, i) => i);
  let step = 0;
  for (let epoch = 0; epoch < settings.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (let start = 0; start < count; start += settings.batchSize) {
      const batch = order.slice(start, start + settings.batchSize);
      step++;
      adamBatch(rows, batch, settings.l2, settings.learningRate, step, weights, gradient, firstMoment, secondMoment);
      yield;
    }
  }
  return weights;
}

/** One Adam step (β1 0.9, β2 0.999) on the mean loss of `batch` plus the L2 penalty; `step` counts from 1. */
function adamBatch(
  rows: PairDifferences,
  batch: readonly number[],
  l2: number,
  learningRate: number,
  step: number,
  weights: Float64Array,
  gradient: Float64Array,
  firstMoment: Float64Array,
  secondMoment: Float64Array,
): void {
  const dimension = weights.length;
  for (let i = 0; i < dimension; i++) gradient[i] = l2 * (weights[i] as number);
  accumulateLossGradient(weights, rows, batch, 1 / batch.length, gradient);
  const beta1 = 0.9;
  const beta2 = 0.999;
  const correction1 = 1 - beta1 ** step;
  const correction2 = 1 - beta2 ** step;
  for (let i = 0; i < dimension; i++) {
    const g = gradient[i] as number;
    const m = beta1 * (firstMoment[i] as number) + (1 - beta1) * g;
    const v = beta2 * (secondMoment[i] as number) + (1 - beta2) * g * g;
    firstMoment[i] = m;
    secondMoment[i] = v;
    weights[i] = (weights[i] as number) - (learningRate * (m / correction1)) / (Math.sqrt(v / correction2) + 1e-8);
  }
}
