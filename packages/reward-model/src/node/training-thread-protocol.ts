import type { FeaturizerConfig } from "../featurizer-config.ts";
import type { TrainingMetrics } from "../reward-model.ts";
import type { TrainRewardModelOptions } from "../train-reward-model.ts";

/** What the server sends its training thread. */
export interface TrainingThreadRequest {
  readonly id: number;
  readonly options: TrainRewardModelOptions;
}

/** What comes back: the trained model (its weights' buffer transferred), or why training refused. */
export type TrainingThreadResponse =
  | { readonly id: number; readonly ok: true; readonly featurizer: FeaturizerConfig; readonly weights: Float32Array; readonly metrics: TrainingMetrics }
  | { readonly id: number; readonly ok: false; readonly error: { readonly name: string; readonly message: string } };
