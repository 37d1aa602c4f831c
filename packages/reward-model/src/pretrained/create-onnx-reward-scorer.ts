import type * as Ort from "onnxruntime-web";
import type { RewardInput } from "../featurize.ts";
import { createHfTokenizer, type RewardTokenizer } from "./hf-tokenizer.ts";
import { PretrainedModelError } from "./pretrained-model-error.ts";

/** What the scorer needs of onnxruntime-web (`import * as ort from "onnxruntime-web"`, or its `/wasm` entry in a browser). */
export type OrtModule = Pick<typeof Ort, "InferenceSession" | "Tensor">;

/** The files of a Hugging Face sequence-classification model folder, already read and parsed. */
export interface PretrainedRewardModelFiles {
  /** `onnx/model.onnx` (or `model.onnx`). */
  readonly model: ArrayBuffer | Uint8Array;
  /** Parsed `tokenizer.json`. */
  readonly tokenizer: unknown;
  /** Parsed `config.json` (num_labels / id2label, pad_token_id, max_position_embeddings); optional. */
  readonly config?: unknown;
  /** Parsed `tokenizer_config.json` (model_max_length); optional. */
  readonly tokenizerConfig?: unknown;
}

export interface CreateOnnxRewardScorerOptions extends PretrainedRewardModelFiles {
  readonly ort: OrtModule;
  /** Longest input in tokens (special tokens included); default: the files' own limit, at most 512. */
  readonly maxLength?: number;
  /** Inputs per forward pass (default 8). */
  readonly batchSize?: number;
}

/**
 * The scorer of a pretrained model: the same `score(inputs)` as the trained linear model's
 * scorer, so the page and the server use either the same way. Token attributions are only
 * computed for the linear model (exact there); a transformer's are not offered.
 */
export interface PretrainedRewardScorer {
  readonly kind: "onnx";
  readonly backend: "onnx-wasm";
  readonly inputNames: readonly string[];
  readonly outputName: string;
  /** 1: the logit is the reward; 2: reward = logit[1] − logit[0]. */
  readonly labels: 1 | 2;
  readonly tokenizer: RewardTokenizer;
  score(inputs: readonly RewardInput[]): Promise<number[]>;
  dispose(): Promise<void>;
}

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function labelCount(config: unknown): 1 | 2 {
  if (!isRecord(config)) return 1;
  const declared = typeof config.num_labels === "number" ? config.num_labels : isRecord(config.id2label) ? Object.keys(config.id2label).length : 1;
  if (declared === 1 || declared === 2) return declared;
  throw new PretrainedModelError("bad_config", `a reward model has 1 label (a score) or 2 (bad/good); config.json declares ${declared}`);
}

function lengthLimit(options: CreateOnnxRewardScorerOptions): number | undefined {
  const limits: number[] = [];
  if (options.maxLength !== undefined) limits.push(options.maxLength);
  if (isRecord(options.tokenizerConfig) && typeof options.tokenizerConfig.model_max_length === "number" && options.tokenizerConfig.model_max_length < 1e6)
    limits.push(options.tokenizerConfig.model_max_length);
  if (isRecord(options.config) && typeof options.config.max_position_embeddings === "number") limits.push(options.config.max_position_embeddings);
  return limits.length > 0 ? Math.min(512, ...limits) : undefined;
}

/**
 * Loads a pretrained ONNX sequence-classification reward model with onnxruntime-web (WASM
 * execution provider) and a tokenizer read from its own `tokenizer.json` — nothing is fetched
 * from a hub. The model must take `input_ids` (int64 [batch, seq]) and may take
 * `attention_mask` and `token_type_ids`; its first output (or `logits`) is [batch, labels].
 */
export async function createOnnxRewardScorer(options: CreateOnnxRewardScorerOptions): Promise<PretrainedRewardScorer> {
  const labels = labelCount(options.config);
  const tokenizer = createHfTokenizer(options.tokenizer, {
    maxLength: lengthLimit(options),
    padToken: undefined,
  });
  const padId = isRecord(options.config) && typeof options.config.pad_token_id === "number" ? options.config.pad_token_id : tokenizer.padId;
  const bytes = options.model instanceof Uint8Array ? options.model : new Uint8Array(options.model);
  let session: Ort.InferenceSession;
  try {
    session = await options.ort.InferenceSession.create(bytes, { executionProviders: ["wasm"], graphOptimizationLevel: "all" });
  } catch (error) {
    throw new PretrainedModelError("bad_model", `onnxruntime could not load the model: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  const inputNames = [...session.inputNames];
  if (!inputNames.includes("input_ids")) {
    await session.release();
    throw new PretrainedModelError("bad_model", `the model has no input_ids input (inputs: ${inputNames.join(", ")})`);
  }
  const known = new Set(["input_ids", "attention_mask", "token_type_ids"]);
  const unknown = inputNames.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    await session.release();
    throw new PretrainedModelError("bad_model", `the model needs inputs this scorer cannot provide: ${unknown.join(", ")}`);
  }
  const outputName = session.outputNames.includes("logits") ? "logits" : (session.outputNames[0] ?? "");
  const batchSize = Math.max(1, options.batchSize ?? 8);
  const { Tensor } = options.ort;

  async function scoreBatch(inputs: readonly RewardInput[]): Promise<number[]> {
    const encoded = inputs.map((input) => tokenizer.encode(input.prompt === undefined || input.prompt === "" ? undefined : input.prompt, input.response));
    const length = Math.max(1, ...encoded.map((e) => e.ids.length));
    const ids = new BigInt64Array(inputs.length * length).fill(BigInt(padId));
    const mask = new BigInt64Array(inputs.length * length);
    const types = new BigInt64Array(inputs.length * length);
    encoded.forEach((e, row) => {
      e.ids.forEach((id, col) => {
        ids[row * length + col] = BigInt(id);
        mask[row * length + col] = 1n;
        types[row * length + col] = BigInt(e.typeIds[col] ?? 0);
      });
    });
    const dims = [inputs.length, length];
    const feeds: Record<string, Ort.Tensor> = {};
    for (const name of inputNames) {
      const data = name === "input_ids" ? ids : name === "attention_mask" ? mask : types;
      feeds[name] = new Tensor("int64", data, dims);
    }
    const results = await session.run(feeds);
    const output = results[outputName];
    if (!output) throw new PretrainedModelError("bad_output", `the model returned no ${outputName} output`);
    const [rows, cols] = output.dims;
    if (rows !== inputs.length || (cols ?? 1) !== labels || output.dims.length > 2) {
      throw new PretrainedModelError("bad_output", `output ${outputName} has shape [${output.dims.join(", ")}], expected [${inputs.length}, ${labels}]`);
    }
    const data = output.data as Float32Array;
    const rewards = Array.from({ length: inputs.length }, (_, row) =>
      labels === 1 ? (data[row] as number) : (data[row * 2 + 1] as number) - (data[row * 2] as number),
    );
    for (const tensor of Object.values(results)) tensor.dispose();
    return rewards;
  }

  return {
    kind: "onnx",
    backend: "onnx-wasm",
    inputNames,
    outputName,
    labels,
    tokenizer,
    async score(inputs) {
      const out: number[] = [];
      for (let start = 0; start < inputs.length; start += batchSize) out.push(...(await scoreBatch(inputs.slice(start, start + batchSize))));
      return out;
    },
    dispose: () => session.release(),
  };
}
