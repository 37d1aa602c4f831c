import { startRewardWorker } from "./start-reward-worker.ts";

/**
 * Web Worker entry for bundlers that resolve packages (esbuild in bin/webgpu-check.ts): a
 * worker file that imports this (`import "@arbiter/reward-model/worker";`) speaks the protocol
 * in reward-worker-protocol.ts. onnxruntime-web is imported only when a page asks for a
 * pretrained ONNX model, with its .wasm from `wasmPaths` when given (no CDN); one thread, as
 * pages are not cross-origin isolated. Apps that serve onnxruntime-web themselves call
 * `startRewardWorker` with their own loader instead.
 */
startRewardWorker({
  loadOrt: async (wasmPaths) => {
    const ort = await import("onnxruntime-web/wasm");
    // The .wasm's URL only: a string prefix would make the bundle import its JS glue from there too.
    if (wasmPaths) ort.env.wasm.wasmPaths = { wasm: `${wasmPaths}ort-wasm-simd-threaded.wasm` };
    ort.env.wasm.numThreads = 1;
    ort.env.wasm.proxy = false;
    return ort;
  },
});
