// The annotation page's reward worker (started with `new Worker(new URL(...), {type: "module"})`,
// bundled by Next). onnxruntime-web is not bundled: for a pretrained ONNX model the worker
// imports a build the app serves at /ort/ (see packages/reward-model/bin/copy-ort-runtime.mjs) —
// the WASM build, or the WebGPU build once an adapter was found — so its .wasm comes from the
// same folder and nothing is fetched from elsewhere.
import { installOrtLogCapture, startRewardWorker, type OrtModule } from "@arbiter/reward-model/scorer";

type OrtWithEnv = OrtModule & { env: { wasm: { wasmPaths?: string | { wasm?: string; mjs?: string }; numThreads?: number; proxy?: boolean } } };

// Before onnxruntime loads: its WebAssembly runtime binds the console once, and its log is how a
// WebGPU session's node placement is verified.
const captureLog = installOrtLogCapture();

const BUILDS = {
  wasm: { module: "ort.wasm.bundle.min.mjs", wasm: "ort-wasm-simd-threaded.wasm" },
  webgpu: { module: "ort.webgpu.bundle.min.mjs", wasm: "ort-wasm-simd-threaded.asyncify.wasm" },
} as const;
const loaded = new Map<string, Promise<OrtModule>>();

startRewardWorker({
  captureLog,
  loadOrt: (wasmPaths, build) => {
    const base = wasmPaths && /^\/[A-Za-z0-9/_-]*\/$/.test(wasmPaths) ? wasmPaths : "/ort/";
    const files = BUILDS[build];
    const key = `${base}${files.module}`;
    let ort = loaded.get(key);
    if (!ort) {
      ort = (async () => {
        const runtime = (await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ key)) as OrtWithEnv;
        // Only the .wasm's URL: a string prefix would make the bundle import its JS glue from there
        // too, though it carries that glue inside.
        runtime.env.wasm.wasmPaths = { wasm: `${base}${files.wasm}` };
        runtime.env.wasm.numThreads = 1;
        runtime.env.wasm.proxy = false;
        return runtime;
      })();
      loaded.set(key, ort);
    }
    return ort;
  },
});
