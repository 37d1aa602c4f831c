import { createRewardWorkerHandler, type RewardWorkerOptions } from "./reward-worker-protocol.ts";

interface WorkerScope {
  addEventListener(type: "message", listener: (event: { readonly data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

/**
 * Makes the current Web Worker a reward worker (the protocol in reward-worker-protocol.ts).
 * `loadOrt` provides onnxruntime-web for pretrained ONNX models (its WASM or its WebGPU build),
 * loaded on first use; without it the worker answers `load-onnx` with backend_unavailable.
 * `captureLog` (installOrtLogCapture, installed before onnxruntime loads) lets a WebGPU session
 * be verified. Touches only the worker scope.
 */
export function startRewardWorker(options: RewardWorkerOptions = {}): void {
  const scope = globalThis as unknown as WorkerScope;
  const handle = createRewardWorkerHandler(options);
  scope.addEventListener("message", (event) => {
    void handle(event.data).then((response) => scope.postMessage(response));
  });
}
