import type { CalibrationMetrics } from "./calibration.ts";
import type { FeaturizerConfig } from "./featurizer-config.ts";

/** One vote: `chosen` was preferred over `rejected` as an answer to `prompt`. */
export interface PreferencePair {
  readonly prompt?: string | undefined;
  readonly chosen: string;
  readonly rejected: string;
  /** Pairs sharing a group (e.g. expanded from one ranking) land on the same side of the split. */
  readonly group?: string | undefined;
}

/** How a model did when it was trained; stored in the weights file header. */
export interface TrainingMetrics {
  /** Share of training pairs the model orders correctly (a tie counts one half). */
  readonly trainAccuracy: number;
  /** The same on the held-out pairs; null when nothing was held out. */
  readonly heldOutAccuracy: number | null;
  /** Pairs trained on. */
  readonly pairs: number;
  readonly heldOutPairs: number;
  /** Mean logistic loss on the training pairs (without the L2 term). */
  readonly trainLoss: number;
  readonly heldOutLoss: number | null;
  readonly optimizer: "lbfgs" | "adam";
  /** L-BFGS iterations or Adam epochs actually run. */
  readonly iterations: number;
  /** Wall time of featurization and training. */
  readonly ms: number;
  /** Temperature, ECE, accuracy interval and length baselines on the held-out split; absent without one (and in versions trained before calibration existed). */
  readonly calibration?: CalibrationMetrics | undefined;
}

/** A linear Bradley–Terry reward model: r(x) = w · φ(x). */
export interface RewardModel {
  readonly featurizer: FeaturizerConfig;
  /** `featurizer.dim` hashed slots followed by the dense features. */
  readonly weights: Float32Array;
  readonly metrics?: TrainingMetrics | undefined;
}
