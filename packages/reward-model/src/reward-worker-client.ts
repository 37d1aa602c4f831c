import type { RewardBackendPreference } from "./create-reward-scorer.ts";
import type { RewardInput } from "./featurize.ts";
import type { OnnxBackendPreference } from "./pretrained/create-onnx-reward-scorer.ts";
import type { RewardWorkerRequest, RewardWorkerResponse } from "./reward-worker-protocol.ts";

/** What the client needs of a Worker (a browser Worker satisfies it). */
export interface RewardWorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: "message", listener: (event: MessageEvent) => void): void;
  terminate(): void;
}

type Answer<T extends RewardWorkerResponse["type"]> = Extract<RewardWorkerResponse, { type: T }>;

/** The worker answered with an error message. */
export class RewardWorkerError extends Error {
  constructor(readonly response: Answer<"error">) {
    super(response.message);
    this.name = "RewardWorkerError";
  }
}

type RequestBody = RewardWorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, "id"> : never) : never;

/** Promise-returning wrapper around a reward worker. */
export function createRewardWorkerClient(worker: RewardWorkerLike) {
  let nextId = 1;
  const pending = new Map<number, (response: RewardWorkerResponse) => void>();
  worker.addEventListener("message", (event) => {
    const response = event.data as RewardWorkerResponse;
    const resolve = pending.get(response.id);
    if (resolve) {
      pending.delete(response.id);
      resolve(response);
    }
  });

  const send = async <T extends RewardWorkerResponse["type"]>(body: RequestBody, expected: T, transfer: Transferable[] = []): Promise<Answer<T>> => {
    const id = nextId++;
    const response = await new Promise<RewardWorkerResponse>((resolve) => {
      pending.set(id, resolve);
      worker.postMessage({ ...body, id }, transfer);
    });
    if (response.type === "error") throw new RewardWorkerError(response);
    if (response.type !== expected) throw new Error(`reward worker answered ${response.type} to a request expecting ${expected}`);
    return response as Answer<T>;
  };

  return {
    /** Loads ARM1 weights. With `transfer`, the buffer is moved to the worker (and emptied here). */
    load: (weights: ArrayBuffer, options: { backend?: RewardBackendPreference; allowFallbackAdapter?: boolean; transfer?: boolean } = {}) =>
      send(
        { type: "load", weights, backend: options.backend ?? "auto", allowFallbackAdapter: options.allowFallbackAdapter ?? false },
        "loaded",
        options.transfer ? [weights] : [],
      ),
    score: (items: readonly RewardInput[], options: { attributions?: { top?: number } | false } = {}) =>
      send({ type: "score", items, attributions: options.attributions ?? false }, "scored"),
    /** Loads a pretrained ONNX model folder's files (onnxruntime-web runs in the worker, on WebGPU or WASM). */
    loadOnnx: (
      files: { model: ArrayBuffer; tokenizer: unknown; config?: unknown; tokenizerConfig?: unknown; wasmPaths?: string },
      options: { transfer?: boolean; backend?: OnnxBackendPreference; allowFallbackAdapter?: boolean } = {},
    ) =>
      send(
        { type: "load-onnx", ...files, backend: options.backend ?? "auto", allowFallbackAdapter: options.allowFallbackAdapter ?? false },
        "loaded-onnx",
        options.transfer ? [files.model] : [],
      ),
    dispose: () => send({ type: "dispose" }, "disposed"),
    terminate: () => worker.terminate(),
  };
}
