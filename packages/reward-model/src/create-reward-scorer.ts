import { explainReward, type ExplainRewardOptions, type RewardAttribution } from "./explain-reward.ts";
import { weightCount } from "./featurizer-config.ts";
import { featurizeBatch, type RewardInput } from "./featurize.ts";
import type { RewardModel } from "./reward-model.ts";
import { scoreReference, sparseDotBatch } from "./sparse-dot.ts";
import { WasmSparseDot } from "./wasm-sparse-dot.ts";
import { WebGpuSparseDot, type WebGpuAdapterSummary } from "./webgpu-sparse-dot.ts";
import { decodeWeights } from "./weights-format.ts";

export type RewardBackend = "webgpu" | "wasm" | "js" | "reference";
export type RewardBackendPreference = "auto" | RewardBackend;

export interface CreateRewardScorerOptions {
  /** ARM1 bytes (see `encodeWeights`) or an already decoded model. */
  readonly weights: ArrayBuffer | ArrayBufferView | RewardModel;
  /** "auto" tries webgpu (non-fallback adapter), then wasm, then js. Default "auto". */
  readonly backend?: RewardBackendPreference;
  /** Let WebGPU run on a software adapter such as SwiftShader (normally passed over). */
  readonly allowFallbackAdapter?: boolean;
  /** A WebGPU entry point to use instead of `navigator.gpu`. */
  readonly gpu?: GPU;
}

export interface SkippedBackend {
  readonly backend: RewardBackend;
  readonly reason: string;
}

export interface RewardScorer {
  /** A trained linear model (see `createOnnxRewardScorer` for pretrained ONNX models). */
  readonly kind: "linear";
  /** The backend that computes the rewards. */
  readonly backend: RewardBackend;
  /** Backends "auto" tried first and why each was passed over. */
  readonly skipped: readonly SkippedBackend[];
  /** Set when the backend is webgpu. */
  readonly adapter: WebGpuAdapterSummary | null;
  readonly model: RewardModel;
  score(inputs: readonly RewardInput[]): Promise<number[]>;
  /** Token-level attribution (always computed on the CPU). */
  explain(input: RewardInput, options?: ExplainRewardOptions): RewardAttribution;
  dispose(): void;
}

/** An explicitly requested backend cannot run here. */
export class RewardBackendUnavailableError extends Error {
  constructor(
    readonly backend: RewardBackend,
    readonly reason: string,
  ) {
    super(`reward backend "${backend}" is unavailable: ${reason}`);
    this.name = "RewardBackendUnavailableError";
  }
}

interface Engine {
  readonly adapter: WebGpuAdapterSummary | null;
  score(inputs: readonly RewardInput[]): Promise<number[]>;
  dispose(): void;
}

async function startEngine(backend: RewardBackend, model: RewardModel, options: CreateRewardScorerOptions): Promise<Engine> {
  switch (backend) {
    case "reference":
      return { adapter: null, score: async (inputs) => scoreReference(model, inputs), dispose: () => {} };
    case "js":
      return {
        adapter: null,
        score: async (inputs) => {
          const batch = featurizeBatch(model.featurizer, inputs);
          return Array.from(sparseDotBatch(model.weights, batch, new Float64Array(inputs.length)));
        },
        dispose: () => {},
      };
    case "wasm": {
      if (typeof WebAssembly === "undefined") throw new Error("WebAssembly is not available");
      const wasm = await WasmSparseDot.create(model.weights);
      return { adapter: null, score: async (inputs) => Array.from(wasm.score(featurizeBatch(model.featurizer, inputs))), dispose: () => {} };
    }
    case "webgpu": {
      const gpu = await WebGpuSparseDot.create({ weights: model.weights, gpu: options.gpu, allowFallbackAdapter: options.allowFallbackAdapter });
      return {
        adapter: gpu.adapter,
        score: async (inputs) => (inputs.length === 0 ? [] : Array.from(await gpu.score(featurizeBatch(model.featurizer, inputs)))),
        dispose: () => gpu.destroy(),
      };
    }
  }
}

function toModel(weights: CreateRewardScorerOptions["weights"]): RewardModel {
  if (weights instanceof ArrayBuffer || ArrayBuffer.isView(weights)) return decodeWeights(weights);
  const expected = weightCount(weights.featurizer);
  if (weights.weights.length !== expected) throw new RangeError(`model has ${weights.weights.length} weights, its featurizer needs ${expected}`);
  return weights;
}

/**
 * Loads a model and picks where its rewards are computed. Every backend featurizes on the CPU
 * with the same code; they differ in where the sparse dot products run. The CPU backends agree
 * to the last bit, WebGPU (float32 sums) to about 1e-6.
 */
export async function createRewardScorer(options: CreateRewardScorerOptions): Promise<RewardScorer> {
  const model = toModel(options.weights);
  const preference = options.backend ?? "auto";
  const candidates: RewardBackend[] = preference === "auto" ? ["webgpu", "wasm", "js"] : [preference];
  const skipped: SkippedBackend[] = [];
  for (const backend of candidates) {
    let engine: Engine;
    try {
      engine = await startEngine(backend, model, options);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (preference !== "auto") throw new RewardBackendUnavailableError(backend, reason);
      skipped.push({ backend, reason });
      continue;
    }
    return {
      kind: "linear",
      backend,
      skipped,
      adapter: engine.adapter,
      model,
      score: (inputs) => engine.score(inputs),
      explain: (input, explainOptions) => explainReward(model, input, explainOptions),
      dispose: () => engine.dispose(),
    };
  }
  throw new RewardBackendUnavailableError("js", "no backend could start");
}
