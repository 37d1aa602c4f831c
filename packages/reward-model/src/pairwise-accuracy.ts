import { featurizeBatch } from "./featurize.ts";
import type { RewardModel } from "./reward-model.ts";
import { sparseDotBatch } from "./sparse-dot.ts";
import type { PreferencePair } from "./reward-model.ts";

/** Share of pairs whose chosen response gets the higher reward (a tie counts one half). */
export function pairwiseAccuracy(model: RewardModel, pairs: readonly PreferencePair[]): number {
  if (pairs.length === 0) return Number.NaN;
  const inputs = pairs.flatMap((pair) => [
    { prompt: pair.prompt, response: pair.chosen },
    { prompt: pair.prompt, response: pair.rejected },
  ]);
  const rewards = sparseDotBatch(model.weights, featurizeBatch(model.featurizer, inputs), new Float64Array(inputs.length));
  let correct = 0;
  for (let i = 0; i < pairs.length; i++) {
    const margin = (rewards[2 * i] as number) - (rewards[2 * i + 1] as number);
    correct += margin > 0 ? 1 : margin === 0 ? 0.5 : 0;
  }
  return correct / pairs.length;
}
