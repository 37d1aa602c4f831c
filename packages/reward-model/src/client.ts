/**
 * `@arbiter/reward-model/client`: what a page needs to get hints from a reward worker (a Web
 * Worker that runs `startRewardWorker` from `@arbiter/reward-model/scorer`). Browser-safe and
 * small: no featurizer, no weights code, no backends — those live in the worker's bundle.
 */
export { createRewardWorkerClient, RewardWorkerError, type RewardWorkerLike } from "./reward-worker-client.ts";
export { rewardPromptText, type RewardPromptSource } from "./reward-prompt-text.ts";
export type { AttributedSpan, DenseContribution, RewardAttribution } from "./explain-reward.ts";
export type { RewardInput } from "./featurize.ts";
export type { TrainingMetrics } from "./reward-model.ts";
export type { RewardBackend, RewardBackendPreference } from "./create-reward-scorer.ts";
export type { OnnxBackendPreference, OnnxRewardBackend } from "./pretrained/create-onnx-reward-scorer.ts";
export { calibratedProbability } from "./calibration.ts";
export type { CalibrationMetrics } from "./calibration.ts";
