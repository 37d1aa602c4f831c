/** `@arbiter/reward-model/testing`: fixtures for tests and benchmarks (Node). */
export { plantedSignalPairs, type PlantedSignalOptions } from "./planted-signal-pairs.ts";
export { randomRewardModel } from "./random-model.ts";
export {
  buildTinyOnnxRewardModel,
  byteLevelAlphabet,
  TINY_TOKENIZER_KINDS,
  type TinyOnnxRewardModel,
  type TinyTokenizerKind,
} from "./tiny-onnx-reward-model.ts";
export { datasetsIn, HH_RLHF_FILE, LLMBAR_FILES, loadHhRlhf, loadLlmBar, type PreferenceDataset } from "./preference-datasets.ts";
