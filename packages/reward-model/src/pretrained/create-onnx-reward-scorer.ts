import type * as Ort from "onnxruntime-web";
import type { RewardInput } from "../featurize.ts";
import type { WebGpuAdapterSummary } from "../webgpu-sparse-dot.ts";
import { createHfTokenizer, type RewardTokenizer } from "./hf-tokenizer.ts";
import type { CaptureLog } from "./ort-log-capture.ts";
import { judgeWebGpuPlacement, parseNodePlacement } from "./ort-node-placement.ts";
import { PretrainedModelError } from "./pretrained-model-error.ts";

/** What the scorer needs of onnxruntime-web (`import * as ort from "onnxruntime-web"`, or a bundle the page serves). */
export type OrtModule = Pick<typeof Ort, "InferenceSession" | "Tensor"> & { readonly env?: { readonly webgpu?: unknown } };

/** Where a pretrained model's forward pass runs: onnxruntime-web's WebGPU or WebAssembly (CPU) execution provider. */
export type OnnxRewardBackend = "onnx-webgpu" | "onnx-wasm";
/** "auto": WebGPU on a hardware adapter when it can run the forward pass, else WASM. "webgpu": WebGPU or an error. */
export type OnnxBackendPreference = "auto" | "webgpu" | "wasm";

/** The files of a Hugging Face sequence-classification model folder, already read and parsed. */
export interface PretrainedRewardModelFiles {
  /** `onnx/model.onnx` (or `model.onnx`). */
  readonly model: ArrayBuffer | Uint8Array;
  /** Parsed `tokenizer.json`. */
  readonly tokenizer: unknown;
  /** Parsed `config.json` (num_labels / id2label, pad_token_id, max_position_embeddings, type_vocab_size); optional. */
  readonly config?: unknown;
  /** Parsed `tokenizer_config.json` (model_max_length, pad_token); optional. */
  readonly tokenizerConfig?: unknown;
}

/** How to reach WebGPU. */
export interface OnnxWebGpuOptions {
  /** onnxruntime-web built with the WebGPU execution provider (its `webgpu` bundle), or how to load it. */
  readonly ort: OrtModule | (() => Promise<OrtModule>);
  /** Defaults to `navigator.gpu`. */
  readonly gpu?: GPU;
  /** Run on a software adapter such as SwiftShader (correct, but slower than WASM; for tests). */
  readonly allowFallbackAdapter?: boolean;
  /**
   * Captures onnxruntime's log while a session is created (see `installOrtLogCapture`): the
   * only record of which nodes the WebGPU provider took. Without it WebGPU is never claimed.
   */
  readonly captureLog?: CaptureLog;
}

export interface CreateOnnxRewardScorerOptions extends PretrainedRewardModelFiles {
  /** onnxruntime-web for the WASM execution provider (or how to load it, only when WASM is used). */
  readonly ort: OrtModule | (() => Promise<OrtModule>);
  /** Default "auto" (WASM when no `webgpu` is given). */
  readonly backend?: OnnxBackendPreference;
  readonly webgpu?: OnnxWebGpuOptions;
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
  /** The execution provider that runs the forward pass. */
  readonly backend: OnnxRewardBackend;
  /** Backends tried first and why each was passed over. */
  readonly skipped: ReadonlyArray<{ readonly backend: OnnxRewardBackend; readonly reason: string }>;
  /** On WebGPU: where onnxruntime placed the nodes ("all 11 nodes on WebGPU"); null on WASM. */
  readonly placement: string | null;
  /** On WebGPU: the adapter checked before loading. */
  readonly adapter: WebGpuAdapterSummary | null;
  readonly inputNames: readonly string[];
  readonly outputName: string;
  /** 1: the logit is the reward; 2: reward = logit[1] − logit[0]. */
  readonly labels: 1 | 2;
  readonly tokenizer: RewardTokenizer;
  score(inputs: readonly RewardInput[]): Promise<number[]>;
  dispose(): Promise<void>;
}

/** A backend asked for by name ("webgpu") that cannot run the model's forward pass here. */
export class OnnxBackendUnavailableError extends Error {
  constructor(
    readonly backend: OnnxRewardBackend,
    readonly reason: string,
  ) {
    super(`${backend} is unavailable: ${reason}`);
    this.name = "OnnxBackendUnavailableError";
  }
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

class WebGpuSkipped extends Error {}

interface Engine {
  readonly session: Ort.InferenceSession;
  readonly inputNames: readonly string[];
  readonly outputName: string;
  readonly run: (inputs: readonly RewardInput[]) => Promise<number[]>;
  readonly placement: string | null;
  readonly adapter: WebGpuAdapterSummary | null;
}

const resolveOrt = async (ort: OrtModule | (() => Promise<OrtModule>)) => (typeof ort === "function" ? ort() : ort);

function adapterSummary(info: GPUAdapterInfo | undefined, legacyFallback?: boolean): WebGpuAdapterSummary {
  return {
    vendor: info?.vendor ?? "",
    architecture: info?.architecture ?? "",
    isFallbackAdapter: (info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter ?? legacyFallback ?? false,
  };
}

/** The adapter of the device onnxruntime's WebGPU provider created, where the runtime exposes it (`env.webgpu.device`). */
async function ortAdapter(ort: OrtModule): Promise<WebGpuAdapterSummary | null> {
  try {
    const device = (await (ort.env?.webgpu as { device?: unknown } | undefined)?.device) as { adapterInfo?: GPUAdapterInfo } | undefined;
    return device?.adapterInfo ? adapterSummary(device.adapterInfo) : null;
  } catch {
    return null;
  }
}

/** Checks for an adapter (a hardware one unless allowed otherwise) before anything is downloaded or compiled. */
async function checkAdapter(web: OnnxWebGpuOptions): Promise<WebGpuAdapterSummary> {
  const gpu = web.gpu ?? (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (!gpu) throw new WebGpuSkipped("navigator.gpu is missing (no WebGPU in this environment)");
  const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  if (!adapter) throw new WebGpuSkipped("requestAdapter() returned null");
  const summary = adapterSummary((adapter as { info?: GPUAdapterInfo }).info, (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter);
  if (summary.isFallbackAdapter && !web.allowFallbackAdapter) {
    throw new WebGpuSkipped(`only a fallback adapter is available (${summary.vendor} ${summary.architecture}), slower than WebAssembly`);
  }
  return summary;
}

/**
 * Loads a pretrained ONNX sequence-classification reward model with onnxruntime-web and a
 * tokenizer read from its own `tokenizer.json` — nothing is fetched from a hub. The model must
 * take `input_ids` (int64 [batch, seq]) and may take `attention_mask` and `token_type_ids`; its
 * first output (or `logits`) is [batch, labels].
 *
 * Where the forward pass runs: with `backend` "auto" or "webgpu" and a `webgpu` option, the
 * WebGPU execution provider — claimed only when onnxruntime's own log shows that it took the
 * forward pass (see `judgeWebGpuPlacement`) and a first pass returned finite numbers; "auto"
 * passes over a software adapter and falls back to the WASM provider, "webgpu" throws
 * OnnxBackendUnavailableError instead.
 */
export async function createOnnxRewardScorer(options: CreateOnnxRewardScorerOptions): Promise<PretrainedRewardScorer> {
  const labels = labelCount(options.config);
  const tokenizer = createHfTokenizer(options.tokenizer, { maxLength: lengthLimit(options), tokenizerConfig: options.tokenizerConfig });
  const padId = isRecord(options.config) && typeof options.config.pad_token_id === "number" ? options.config.pad_token_id : tokenizer.padId;
  // A model without token type embeddings (RoBERTa: 1 type; DeBERTa-v3: 0) gets zeros whatever the template says.
  const zeroTypes = isRecord(options.config) && typeof options.config.type_vocab_size === "number" && options.config.type_vocab_size <= 1;
  const bytes = options.model instanceof Uint8Array ? options.model : new Uint8Array(options.model);
  const preference = options.backend ?? "auto";
  const batchSize = Math.max(1, options.batchSize ?? 8);
  const skipped: Array<{ backend: OnnxRewardBackend; reason: string }> = [];

  const badModel = (error: unknown) =>
    new PretrainedModelError("bad_model", `onnxruntime could not load the model: ${error instanceof Error ? error.message : String(error)}`, { cause: error });

  /** Checks the session's inputs and outputs; releases it and throws when the model does not fit. */
  async function describeSession(session: Ort.InferenceSession) {
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
    return { inputNames, outputName };
  }

  function runner(
    ort: OrtModule,
    session: Ort.InferenceSession,
    inputNames: readonly string[],
    outputName: string,
    runOptions: Ort.InferenceSession.RunOptions,
  ) {
    return async (inputs: readonly RewardInput[]): Promise<number[]> => {
      const encoded = inputs.map((input) => tokenizer.encode(input.prompt === undefined || input.prompt === "" ? undefined : input.prompt, input.response));
      const length = Math.max(1, ...encoded.map((e) => e.ids.length));
      const ids = new BigInt64Array(inputs.length * length).fill(BigInt(padId));
      const mask = new BigInt64Array(inputs.length * length);
      const types = new BigInt64Array(inputs.length * length);
      encoded.forEach((e, row) => {
        e.ids.forEach((id, col) => {
          ids[row * length + col] = BigInt(id);
          mask[row * length + col] = 1n;
          types[row * length + col] = zeroTypes ? 0n : BigInt(e.typeIds[col] ?? 0);
        });
      });
      const dims = [inputs.length, length];
      const feeds: Record<string, Ort.Tensor> = {};
      for (const name of inputNames) {
        const data = name === "input_ids" ? ids : name === "attention_mask" ? mask : types;
        feeds[name] = new ort.Tensor("int64", data, dims);
      }
      const results = await session.run(feeds, runOptions);
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
    };
  }

  async function startWebGpu(web: OnnxWebGpuOptions): Promise<Engine> {
    const adapter = await checkAdapter(web);
    if (!web.captureLog) throw new WebGpuSkipped("onnxruntime's node placement cannot be read here, so WebGPU would not be verified");
    const ort = await resolveOrt(web.ort);
    const webgpuEnv = ort.env?.webgpu as { powerPreference?: string } | undefined;
    if (webgpuEnv) webgpuEnv.powerPreference = "high-performance";
    let created: { value: Ort.InferenceSession; lines: string[] };
    try {
      // Verbose logging (0) is what makes onnxruntime list the provider of every node.
      created = await web.captureLog(() =>
        ort.InferenceSession.create(bytes, { executionProviders: ["webgpu"], graphOptimizationLevel: "all", logSeverityLevel: 0, logVerbosityLevel: 0 }),
      );
    } catch (error) {
      throw new WebGpuSkipped(`onnxruntime's WebGPU provider could not load the model: ${error instanceof Error ? error.message : String(error)}`);
    }
    const session = created.value;
    // The adapter onnxruntime itself took (it requests its own): report that one, and refuse a software one here too.
    const used = await ortAdapter(ort);
    if (used?.isFallbackAdapter && !web.allowFallbackAdapter) {
      await session.release();
      throw new WebGpuSkipped(`onnxruntime's WebGPU device is on a fallback adapter (${used.vendor} ${used.architecture})`);
    }
    const verdict = judgeWebGpuPlacement(parseNodePlacement(created.lines));
    if (!verdict.ok) {
      await session.release();
      throw new WebGpuSkipped(verdict.reason);
    }
    const { inputNames, outputName } = await describeSession(session);
    const run = runner(ort, session, inputNames, outputName, { logSeverityLevel: 3 });
    try {
      // A first pass compiles the shaders; a device that cannot run them fails here, not on the annotator's first task.
      const probe = await run([{ response: "ok" }]);
      if (!probe.every(Number.isFinite)) throw new Error(`the first forward pass returned ${probe.join(", ")}`);
    } catch (error) {
      await session.release();
      throw new WebGpuSkipped(`the first forward pass on WebGPU failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    return { session, inputNames, outputName, run, placement: verdict.summary, adapter: used ?? adapter };
  }

  let engine: Engine | null = null;
  if (preference !== "wasm") {
    try {
      if (!options.webgpu) throw new WebGpuSkipped("no WebGPU build of onnxruntime was given");
      engine = await startWebGpu(options.webgpu);
    } catch (error) {
      if (!(error instanceof WebGpuSkipped)) throw error;
      if (preference === "webgpu") throw new OnnxBackendUnavailableError("onnx-webgpu", error.message);
      skipped.push({ backend: "onnx-webgpu", reason: error.message });
    }
  }
  let backend: OnnxRewardBackend = "onnx-webgpu";
  if (!engine) {
    backend = "onnx-wasm";
    const ort = await resolveOrt(options.ort);
    let session: Ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, { executionProviders: ["wasm"], graphOptimizationLevel: "all" });
    } catch (error) {
      throw badModel(error);
    }
    const { inputNames, outputName } = await describeSession(session);
    engine = { session, inputNames, outputName, run: runner(ort, session, inputNames, outputName, {}), placement: null, adapter: null };
  }
  const { session, inputNames, outputName, run } = engine;

  return {
    kind: "onnx",
    backend,
    skipped,
    placement: engine.placement,
    adapter: engine.adapter,
    inputNames,
    outputName,
    labels,
    tokenizer,
    async score(inputs) {
      const out: number[] = [];
      for (let start = 0; start < inputs.length; start += batchSize) out.push(...(await run(inputs.slice(start, start + batchSize))));
      return out;
    },
    dispose: () => session.release(),
  };
}
