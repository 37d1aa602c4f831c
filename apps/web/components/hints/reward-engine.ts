"use client";
import type { RewardModelRef } from "@arbiter/core/client";
import { createRewardWorkerClient, RewardWorkerError, type RewardAttribution, type RewardInput, type TrainingMetrics } from "@arbiter/reward-model/client";
import { ApiCallError, downloadBytes, downloadJson } from "@/lib/api-client";

export type BackendChoice = "auto" | "webgpu" | "wasm" | "js";

export interface RewardEngine {
  /** What computes the rewards: webgpu, wasm, js (trained model), onnx-webgpu or onnx-wasm (pretrained: the forward pass's execution provider). */
  readonly backend: string;
  /** A pretrained model on WebGPU: where onnxruntime placed its nodes ("all 11 nodes on WebGPU"). */
  readonly placement: string | null;
  /** Where: a Web Worker, or the page's own thread (when no worker could start). */
  readonly via: "worker" | "main";
  readonly kind: RewardModelRef["kind"];
  readonly version: number;
  /** From the weights file (trained models). */
  readonly metrics: TrainingMetrics | null;
  /** Backends "auto" passed over, and why. */
  readonly skipped: ReadonlyArray<{ backend: string; reason: string }>;
  score(items: RewardInput[], top: number): Promise<{ rewards: number[]; attributions: RewardAttribution[] | null }>;
}

/** A model that cannot be used (corrupt weights, a forced backend that cannot start, …). */
export class RewardHintsUnavailable extends Error {
  override readonly name = "RewardHintsUnavailable";
}

const LOAD_TIMEOUT_MS = 60_000;
const engines = new Map<string, Promise<RewardEngine>>();

/** A refused download says the model cannot be used; no answer at all is a network problem, tried again later. */
function modelFileError(url: string, error: unknown): unknown {
  return error instanceof ApiCallError && !error.unreachable ? new RewardHintsUnavailable(`could not download ${url} (HTTP ${error.status})`) : error;
}

async function fetchBytes(url: string): Promise<ArrayBuffer> {
  return downloadBytes(url).catch((error: unknown) => Promise.reject(modelFileError(url, error)));
}

async function fetchJson(url: string | null): Promise<unknown> {
  if (!url) return undefined;
  return downloadJson(url).catch((error: unknown) => Promise.reject(modelFileError(url, error)));
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} took longer than ${LOAD_TIMEOUT_MS / 1000} s`)), LOAD_TIMEOUT_MS);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** Worker failures that say the model itself is unusable (no point trying the main thread). */
function isModelProblem(error: unknown): boolean {
  return (
    error instanceof RewardWorkerError &&
    (error.response.code === "invalid_weights" || error.response.code === "backend_unavailable" || error.response.code === "bad_request")
  );
}

async function startInWorker(ref: RewardModelRef, backend: BackendChoice): Promise<RewardEngine> {
  const worker = new Worker(new URL("./reward.worker.ts", import.meta.url), { type: "module", name: "arbiter-reward" });
  // A worker whose script fails to load or crashes rejects every pending request.
  const crashed = new Promise<never>((_, reject) => {
    worker.addEventListener("error", (event) => reject(new Error(`the reward worker failed: ${event.message || "script error"}`)));
  });
  crashed.catch(() => undefined);
  const client = createRewardWorkerClient(worker);
  const guard = <T>(p: Promise<T>, what: string) => withTimeout(Promise.race([p, crashed]), what);
  try {
    if (ref.kind === "trained") {
      const weights = await fetchBytes(ref.url);
      const loaded = await guard(client.load(weights, { backend, allowFallbackAdapter: backend === "webgpu", transfer: true }), "loading the reward model");
      return {
        backend: loaded.backend,
        via: "worker",
        kind: "trained",
        version: ref.version,
        metrics: loaded.metrics,
        skipped: loaded.skipped,
        placement: null,
        score: async (items, top) => {
          const scored = await guard(client.score(items, { attributions: { top } }), "scoring");
          return { rewards: scored.rewards, attributions: scored.attributions };
        },
      };
    }
    const [model, tokenizer, config, tokenizerConfig] = await Promise.all([
      fetchBytes(ref.url),
      fetchJson(ref.files.tokenizer),
      fetchJson(ref.files.config),
      fetchJson(ref.files.tokenizerConfig),
    ]);
    // "auto" takes WebGPU only on a hardware adapter; ?rmBackend=webgpu forces it (a software adapter included) and
    // fails rather than fall back, ?rmBackend=wasm skips it. The JS backend is the trained model's alone.
    const onnxBackend = backend === "webgpu" || backend === "wasm" ? backend : "auto";
    const loaded = await guard(
      client.loadOnnx(
        { model, tokenizer, config, tokenizerConfig, wasmPaths: "/ort/" },
        { transfer: true, backend: onnxBackend, allowFallbackAdapter: onnxBackend === "webgpu" },
      ),
      "loading the ONNX reward model",
    );
    for (const skip of loaded.skipped) console.info(`[arbiter hints] ${skip.backend} passed over: ${skip.reason}`);
    return {
      backend: loaded.backend,
      via: "worker",
      kind: "onnx",
      version: ref.version,
      metrics: null,
      skipped: loaded.skipped,
      placement: loaded.placement,
      score: async (items) => ({ rewards: (await guard(client.score(items), "scoring")).rewards, attributions: null }),
    };
  } catch (error) {
    worker.terminate();
    throw error;
  }
}

async function startOnMainThread(ref: RewardModelRef, backend: BackendChoice): Promise<RewardEngine> {
  if (ref.kind !== "trained") throw new RewardHintsUnavailable("pretrained ONNX models run only in a Web Worker, and none could start");
  const weights = await fetchBytes(ref.url);
  const { createRewardScorer } = await import("@arbiter/reward-model/scorer");
  const scorer = await createRewardScorer({ weights, backend, allowFallbackAdapter: backend === "webgpu" });
  return {
    backend: scorer.backend,
    via: "main",
    kind: "trained",
    version: ref.version,
    metrics: scorer.model.metrics ?? null,
    skipped: scorer.skipped,
    placement: null,
    score: async (items, top) => ({ rewards: await scorer.score(items), attributions: items.map((item) => scorer.explain(item, { top })) }),
  };
}

/**
 * The page's reward engine for a model, started once and shared by every task that uses the
 * same model, backend and thread. In a Web Worker unless `worker` is false or no worker can
 * start (then on the page's thread); a model that is itself unusable is not retried.
 */
export function loadRewardEngine(ref: RewardModelRef, options: { backend: BackendChoice; worker: boolean }): Promise<RewardEngine> {
  const key = `${ref.url}|${options.backend}|${options.worker ? "worker" : "main"}`;
  let engine = engines.get(key);
  if (!engine) {
    engine = (async () => {
      if (options.worker && typeof Worker !== "undefined") {
        try {
          return await startInWorker(ref, options.backend);
        } catch (error) {
          if (isModelProblem(error) || error instanceof RewardHintsUnavailable) throw error;
          console.warn("[arbiter hints] the reward worker could not start; scoring on the page's thread instead:", error);
        }
      }
      return startOnMainThread(ref, options.backend);
    })();
    engines.set(key, engine);
    // A corrupt file stays corrupt (a version's bytes never change); anything else (network,
    // a worker that did not start) is tried again by the next task.
    engine.catch((error: unknown) => {
      if (!isModelProblem(error)) engines.delete(key);
    });
  }
  return engine;
}
