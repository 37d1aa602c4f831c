import { startRewardWorker } from "../src/start-reward-worker.ts";

/**
 * The Web Worker of `npm run webgpu-check` (bundled by esbuild): speaks the protocol in
 * reward-worker-protocol.ts. onnxruntime-web is imported only when a page asks for a
 * pretrained ONNX model, with its .wasm from `wasmPaths` when given (no CDN); one thread, as
 * pages are not cross-origin isolated. The app's worker (apps/web/components/hints/reward.worker.ts)
 * does the same with the copy of onnxruntime-web it serves itself.
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
