import { createRewardWorkerHandler } from "./reward-worker-protocol.ts";

/**
 * Web Worker entry. An app's worker file imports it (`import "@arbiter/reward-model/worker";`)
 * and the page starts that file as a module worker. Speaks the protocol in
 * reward-worker-protocol.ts; touches nothing but the worker scope.
 */
interface WorkerScope {
  addEventListener(type: "message", listener: (event: { readonly data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const scope = globalThis as unknown as WorkerScope;
// onnxruntime-web is loaded only when a page asks for a pretrained ONNX model, from the
// .wasm files the page serves itself (no CDN); one thread, as pages are not cross-origin isolated.
const handle = createRewardWorkerHandler({
  loadOrt: async (wasmPaths) => {
    const ort = await import("onnxruntime-web/wasm");
    if (wasmPaths) ort.env.wasm.wasmPaths = wasmPaths;
    ort.env.wasm.numThreads = 1;
    ort.env.wasm.proxy = false;
    return ort;
  },
});

scope.addEventListener("message", (event) => {
  void handle(event.data).then((response) => scope.postMessage(response));
});
