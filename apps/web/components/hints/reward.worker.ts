// The annotation page's reward worker (started with `new Worker(new URL(...), {type: "module"})`,
// bundled by Next). onnxruntime-web is not bundled: for a pretrained ONNX model the worker
// imports the copy the app serves at /ort/ (see packages/reward-model/bin/copy-ort-runtime.mjs),
// so its .wasm comes from the same folder and nothing is fetched from elsewhere.
import { startRewardWorker, type OrtModule } from "@arbiter/reward-model/scorer";

type OrtWithEnv = OrtModule & { env: { wasm: { wasmPaths?: string | { wasm?: string; mjs?: string }; numThreads?: number; proxy?: boolean } } };

startRewardWorker({
  loadOrt: async (wasmPaths) => {
    const base = wasmPaths && /^\/[A-Za-z0-9/_-]*\/$/.test(wasmPaths) ? wasmPaths : "/ort/";
    const ort = (await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ `${base}ort.wasm.bundle.min.mjs`)) as OrtWithEnv;
    // Only the .wasm's URL: a string prefix would make the bundle import its JS glue from there
    // too, though it carries that glue inside.
    ort.env.wasm.wasmPaths = { wasm: `${base}ort-wasm-simd-threaded.wasm` };
    ort.env.wasm.numThreads = 1;
    ort.env.wasm.proxy = false;
    return ort;
  },
});
