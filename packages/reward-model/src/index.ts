export { tokenize, type Token } from "./tokenize.ts";
export {
  DEFAULT_FEATURIZER_CONFIG,
  FeaturizerConfigError,
  STYLE_FEATURE_NAMES,
  CONTEXT_FEATURE_NAMES,
  denseFeatureNames,
  parseFeaturizerConfig,
  resolveFeaturizerConfig,
  weightCount,
  type FeaturizerConfig,
} from "./featurizer-config.ts";
export { featurize, featurizeBatch, type RewardInput, type SparseBatch, type SparseFeatures } from "./featurize.ts";
export type { PreferencePair, RewardModel, TrainingMetrics } from "./reward-model.ts";
export {
  trainRewardModel,
  trainRewardModelAsync,
  RewardTrainingError,
  type TrainRewardModelOptions,
  type TrainRewardModelAsyncOptions,
  type TrainRewardModelResult,
} from "./train-reward-model.ts";
export { expandRankingToPairs, tiersFromRanks, type ExpandRankingOptions } from "./expand-ranking-to-pairs.ts";
export {
  encodeWeights,
  decodeWeights,
  RewardModelFormatError,
  WEIGHTS_MAGIC,
  WEIGHTS_FORMAT_VERSION,
  type DecodedRewardModel,
  type RewardModelFormatErrorReason,
} from "./weights-format.ts";
export { scoreReference, sparseDot, sparseDotBatch } from "./sparse-dot.ts";
export {
  calibratedProbability,
  expectedCalibrationError,
  fitTemperature,
  lengthBaselines,
  selectAskThreshold,
  summarizeCalibration,
  temperatureNll,
  wilsonInterval,
  MIN_CALIBRATION_PAIRS,
  ASK_MIN_CONFIDENCE,
  ASK_MIN_PAIRS,
  ASK_TARGET_PRECISION,
  type AskEvidence,
  type CalibrationMetrics,
} from "./calibration.ts";
export { pairwiseAccuracy } from "./pairwise-accuracy.ts";
export { splitAtLastAssistantTurn } from "./split-conversation.ts";
export * from "./scorer.ts";
export { explainReward, type AttributedSpan, type DenseContribution, type ExplainRewardOptions, type RewardAttribution } from "./explain-reward.ts";
export { SPARSE_DOT_WGSL, WebGpuUnavailableError, type WebGpuAdapterSummary } from "./webgpu-sparse-dot.ts";
export type { RewardWorkerRequest, RewardWorkerResponse, RewardWorkerErrorCode } from "./reward-worker-protocol.ts";
export { createRewardWorkerHandler, type RewardWorkerOptions } from "./reward-worker-protocol.ts";
export { createRewardWorkerClient, RewardWorkerError, type RewardWorkerLike } from "./reward-worker-client.ts";
export { rewardPromptText, type RewardPromptSource } from "./reward-prompt-text.ts";
export {
  createOnnxRewardScorer,
  OnnxBackendUnavailableError,
  type CreateOnnxRewardScorerOptions,
  type OnnxBackendPreference,
  type OnnxRewardBackend,
  type OnnxWebGpuOptions,
  type PretrainedRewardModelFiles,
  type PretrainedRewardScorer,
} from "./pretrained/create-onnx-reward-scorer.ts";
export { createHfTokenizer, type HfTokenizerKind, type RewardTokenizer } from "./pretrained/hf-tokenizer.ts";
export { FORWARD_PASS_OPS, judgeWebGpuPlacement, parseNodePlacement, type NodePlacement } from "./pretrained/ort-node-placement.ts";
export { PretrainedModelError, type PretrainedModelErrorReason } from "./pretrained/pretrained-model-error.ts";
