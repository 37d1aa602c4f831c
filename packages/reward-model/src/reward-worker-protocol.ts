import {
  createRewardScorer,
  RewardBackendUnavailableError,
  type RewardBackend,
  type RewardBackendPreference,
  type RewardScorer,
} from "./create-reward-scorer.ts";
import {
  createOnnxRewardScorer,
  OnnxBackendUnavailableError,
  type OnnxBackendPreference,
  type OnnxRewardBackend,
  type OrtModule,
  type PretrainedRewardScorer,
} from "./pretrained/create-onnx-reward-scorer.ts";
import type { CaptureLog } from "./pretrained/ort-log-capture.ts";
import { PretrainedModelError } from "./pretrained/pretrained-model-error.ts";
import type { RewardAttribution } from "./explain-reward.ts";
import type { FeaturizerConfig } from "./featurizer-config.ts";
import type { RewardInput } from "./featurize.ts";
import type { TrainingMetrics } from "./reward-model.ts";
import { WebGpuUnavailableError } from "./webgpu-sparse-dot.ts";
import { RewardModelFormatError } from "./weights-format.ts";

/** Messages to the reward worker. `id` comes back on the answer. */
export type RewardWorkerRequest =
  | {
      readonly id: number;
      readonly type: "load";
      readonly weights: ArrayBuffer;
      readonly backend?: RewardBackendPreference;
      readonly allowFallbackAdapter?: boolean;
    }
  | {
      readonly id: number;
      readonly type: "score";
      readonly items: readonly RewardInput[];
      /** Include token attributions, with this many top spans each way. */
      readonly attributions?: { readonly top?: number } | false;
    }
  | {
      readonly id: number;
      /** A pretrained ONNX sequence-classification model (onnxruntime-web: WebGPU or WASM execution provider). */
      readonly type: "load-onnx";
      readonly model: ArrayBuffer;
      /** Parsed tokenizer.json, config.json and tokenizer_config.json of the model folder. */
      readonly tokenizer: unknown;
      readonly config?: unknown;
      readonly tokenizerConfig?: unknown;
      /** Where the page serves onnxruntime-web's bundles and .wasm files (e.g. "/ort/"). */
      readonly wasmPaths?: string;
      /** "auto" (default): WebGPU on a hardware adapter when it runs the forward pass, else WASM. */
      readonly backend?: OnnxBackendPreference;
      /** Let WebGPU run on a software adapter such as SwiftShader (for a forced "webgpu"). */
      readonly allowFallbackAdapter?: boolean;
    }
  | { readonly id: number; readonly type: "dispose" };

export type RewardWorkerErrorCode = "bad_request" | "not_loaded" | "invalid_weights" | "backend_unavailable" | "internal";

/** Answers from the reward worker. */
export type RewardWorkerResponse =
  | {
      readonly id: number;
      readonly type: "loaded";
      readonly backend: RewardBackend;
      readonly skipped: readonly { readonly backend: RewardBackend; readonly reason: string }[];
      readonly featurizer: FeaturizerConfig;
      readonly metrics: TrainingMetrics | null;
    }
  | {
      readonly id: number;
      readonly type: "loaded-onnx";
      readonly backend: OnnxRewardBackend;
      readonly skipped: readonly { readonly backend: OnnxRewardBackend; readonly reason: string }[];
      /** On WebGPU: where onnxruntime placed the model's nodes ("all 11 nodes on WebGPU"). */
      readonly placement: string | null;
      readonly inputNames: readonly string[];
      readonly labels: 1 | 2;
    }
  | {
      readonly id: number;
      readonly type: "scored";
      readonly backend: RewardBackend | OnnxRewardBackend;
      readonly rewards: number[];
      readonly attributions: RewardAttribution[] | null;
      readonly ms: number;
    }
  | { readonly id: number; readonly type: "disposed" }
  | {
      readonly id: number;
      readonly type: "error";
      readonly code: RewardWorkerErrorCode;
      readonly message: string;
      /** For invalid_weights: the RewardModelFormatError reason. */
      readonly reason?: string;
    };

const BACKENDS: readonly string[] = ["auto", "webgpu", "wasm", "js", "reference"];
const ONNX_BACKENDS: readonly string[] = ["auto", "webgpu", "wasm"];

class BadRequest extends Error {}

function readRequest(data: unknown): RewardWorkerRequest {
  if (typeof data !== "object" || data === null) throw new BadRequest("message must be an object");
  const message = data as Record<string, unknown>;
  if (typeof message.id !== "number") throw new BadRequest("message needs a numeric id");
  const id = message.id;
  switch (message.type) {
    case "load": {
      if (!(message.weights instanceof ArrayBuffer)) throw new BadRequest("load needs weights as an ArrayBuffer");
      if (message.backend !== undefined && !BACKENDS.includes(message.backend as string)) {
        throw new BadRequest(`backend must be one of ${BACKENDS.join(", ")}`);
      }
      return {
        id,
        type: "load",
        weights: message.weights,
        backend: (message.backend as RewardBackendPreference | undefined) ?? "auto",
        allowFallbackAdapter: message.allowFallbackAdapter === true,
      };
    }
    case "score": {
      const items = message.items;
      const valid =
        Array.isArray(items) &&
        items.every((item: unknown) => {
          if (typeof item !== "object" || item === null) return false;
          const { prompt, response } = item as Record<string, unknown>;
          return typeof response === "string" && (prompt === undefined || typeof prompt === "string");
        });
      if (!valid) throw new BadRequest("score needs items: { prompt?: string, response: string }[]");
      const attributions = message.attributions;
      if (attributions !== undefined && attributions !== false && (typeof attributions !== "object" || attributions === null)) {
        throw new BadRequest("attributions must be false or { top?: number }");
      }
      const top = (attributions as { top?: unknown } | undefined)?.top;
      if (top !== undefined && !(typeof top === "number" && Number.isInteger(top) && top >= 0)) {
        throw new BadRequest("attributions.top must be a non-negative integer");
      }
      return {
        id,
        type: "score",
        items: items as RewardInput[],
        attributions: attributions === undefined ? false : (attributions as { top?: number } | false),
      };
    }
    case "load-onnx": {
      if (!(message.model instanceof ArrayBuffer)) throw new BadRequest("load-onnx needs the model as an ArrayBuffer");
      if (typeof message.tokenizer !== "object" || message.tokenizer === null) throw new BadRequest("load-onnx needs the parsed tokenizer.json");
      if (message.wasmPaths !== undefined && typeof message.wasmPaths !== "string") throw new BadRequest("wasmPaths must be a string");
      if (message.backend !== undefined && !ONNX_BACKENDS.includes(message.backend as string)) {
        throw new BadRequest(`backend must be one of ${ONNX_BACKENDS.join(", ")}`);
      }
      return {
        id,
        type: "load-onnx",
        model: message.model,
        tokenizer: message.tokenizer,
        config: message.config,
        tokenizerConfig: message.tokenizerConfig,
        wasmPaths: message.wasmPaths as string | undefined,
        backend: (message.backend as OnnxBackendPreference | undefined) ?? "auto",
        allowFallbackAdapter: message.allowFallbackAdapter === true,
      };
    }
    case "dispose":
      return { id, type: "dispose" };
    default:
      throw new BadRequest(`unknown message type ${JSON.stringify(message.type)}`);
  }
}

/**
 * The worker's logic without the worker: takes one message, returns the answer. Messages are
 * handled one at a time in arrival order, so a "score" sent right after "load" sees the model.
 */
export interface RewardWorkerOptions {
  /**
   * onnxruntime-web for pretrained ONNX models, loaded on first use: its WASM build, or its
   * WebGPU build (which is asked for only after an adapter was found).
   */
  readonly loadOrt?: (wasmPaths: string | undefined, build: "wasm" | "webgpu") => Promise<OrtModule>;
  /** Reads onnxruntime's log while a WebGPU session is created (see installOrtLogCapture); without it WebGPU is not claimed. */
  readonly captureLog?: CaptureLog;
}

export function createRewardWorkerHandler(options: RewardWorkerOptions = {}): (data: unknown) => Promise<RewardWorkerResponse> {
  let scorer: RewardScorer | PretrainedRewardScorer | null = null;
  const release = (old: RewardScorer | PretrainedRewardScorer | null) => {
    if (old) void old.dispose();
  };
  let queue: Promise<unknown> = Promise.resolve();

  const handle = async (data: unknown): Promise<RewardWorkerResponse> => {
    const id = typeof data === "object" && data !== null && typeof (data as { id?: unknown }).id === "number" ? (data as { id: number }).id : -1;
    try {
      const request = readRequest(data);
      switch (request.type) {
        case "load": {
          const next = await createRewardScorer({
            weights: request.weights,
            backend: request.backend ?? "auto",
            allowFallbackAdapter: request.allowFallbackAdapter ?? false,
          });
          release(scorer);
          scorer = next;
          return { id, type: "loaded", backend: next.backend, skipped: next.skipped, featurizer: next.model.featurizer, metrics: next.model.metrics ?? null };
        }
        case "score": {
          if (!scorer) return { id, type: "error", code: "not_loaded", message: "send a load message first" };
          const current = scorer;
          const started = globalThis.performance.now();
          const rewards = await current.score(request.items);
          const options = request.attributions;
          const attributions =
            options === false || options === undefined || current.kind === "onnx" ? null : request.items.map((item) => current.explain(item, options));
          return { id, type: "scored", backend: current.backend, rewards, attributions, ms: globalThis.performance.now() - started };
        }
        case "load-onnx": {
          if (!options.loadOrt) return { id, type: "error", code: "backend_unavailable", message: "this worker cannot run ONNX models (no onnxruntime)" };
          const loadOrt = options.loadOrt;
          const next = await createOnnxRewardScorer({
            ort: () => loadOrt(request.wasmPaths, "wasm"),
            backend: request.backend ?? "auto",
            webgpu: {
              ort: () => loadOrt(request.wasmPaths, "webgpu"),
              allowFallbackAdapter: request.allowFallbackAdapter ?? false,
              captureLog: options.captureLog,
            },
            model: request.model,
            tokenizer: request.tokenizer,
            config: request.config,
            tokenizerConfig: request.tokenizerConfig,
          });
          release(scorer);
          scorer = next;
          return {
            id,
            type: "loaded-onnx",
            backend: next.backend,
            skipped: next.skipped,
            placement: next.placement,
            inputNames: next.inputNames,
            labels: next.labels,
          };
        }
        case "dispose":
          release(scorer);
          scorer = null;
          return { id, type: "disposed" };
      }
    } catch (error) {
      if (error instanceof BadRequest) return { id, type: "error", code: "bad_request", message: error.message };
      if (error instanceof RewardModelFormatError) return { id, type: "error", code: "invalid_weights", message: error.message, reason: error.reason };
      if (error instanceof PretrainedModelError) return { id, type: "error", code: "invalid_weights", message: error.message, reason: error.reason };
      if (error instanceof RewardBackendUnavailableError)
        return { id, type: "error", code: "backend_unavailable", message: error.message, reason: error.reason };
      if (error instanceof WebGpuUnavailableError) return { id, type: "error", code: "backend_unavailable", message: error.message };
      if (error instanceof OnnxBackendUnavailableError)
        return { id, type: "error", code: "backend_unavailable", message: error.message, reason: error.backend };
      return { id, type: "error", code: "internal", message: error instanceof Error ? error.message : String(error) };
    }
  };

  return (data) => {
    const answer = queue.then(() => handle(data));
    queue = answer;
    return answer;
  };
}
