/**
 * `@arbiter/reward-model/scorer`: scoring in the current thread, for browser bundles — a Web
 * Worker's (`startRewardWorker`) or a page's own when no worker can start (`createRewardScorer`,
 * best imported lazily). Browser-safe: no Node modules.
 */
export {
  createRewardScorer,
  RewardBackendUnavailableError,
  type CreateRewardScorerOptions,
  type RewardBackend,
  type RewardBackendPreference,
  type RewardScorer,
  type SkippedBackend,
} from "./create-reward-scorer.ts";
export { startRewardWorker } from "./start-reward-worker.ts";
export type { OrtModule, OnnxBackendPreference, OnnxRewardBackend } from "./pretrained/create-onnx-reward-scorer.ts";
export { installOrtLogCapture, type CaptureLog } from "./pretrained/ort-log-capture.ts";
