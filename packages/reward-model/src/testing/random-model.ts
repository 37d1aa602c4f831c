import { resolveFeaturizerConfig, weightCount, type FeaturizerConfig } from "../featurizer-config.ts";
import type { RewardModel } from "../reward-model.ts";
import { createSeededRandom } from "@arbiter/ranking/random";

/** A model with seeded random weights: every slot non-zero, so every feature counts. */
export function randomRewardModel(seed: number, overrides: Partial<FeaturizerConfig> = {}): RewardModel {
  const featurizer = resolveFeaturizerConfig(overrides);
  const random = createSeededRandom(seed);
  const weights = Float32Array.from({ length: weightCount(featurizer) }, () => (random() - 0.5) * 4);
  return { featurizer, weights };
}
