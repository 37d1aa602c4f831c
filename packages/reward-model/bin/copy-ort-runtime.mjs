// Copies onnxruntime-web's WASM build and its WebGPU build (each one ES module + its .wasm) into
// a folder the web app serves (apps/web/public/ort), so a page loads pretrained ONNX reward
// models from its own origin: no CDN, and the app's CSP ('self', 'wasm-unsafe-eval') allows it.
// The WebGPU build (its .wasm is the asyncify one, ~27 MB) is fetched only by a worker that found
// a WebGPU adapter.
//   node packages/reward-model/bin/copy-ort-runtime.mjs <destination folder>
/* global process, console */
import { copyFileSync, mkdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";

const destination = process.argv[2];
if (!destination) {
  console.error("usage: copy-ort-runtime.mjs <destination folder>");
  process.exit(2);
}
const require = createRequire(import.meta.url);
const dist = dirname(require.resolve("onnxruntime-web/ort-wasm-simd-threaded.wasm"));
const files = ["ort.wasm.bundle.min.mjs", "ort-wasm-simd-threaded.wasm", "ort.webgpu.bundle.min.mjs", "ort-wasm-simd-threaded.asyncify.wasm"];
mkdirSync(resolve(destination), { recursive: true });
for (const file of files) {
  const from = join(dist, file);
  const to = resolve(destination, file);
  let same;
  try {
    const a = statSync(from);
    const b = statSync(to);
    same = a.size === b.size && a.mtimeMs <= b.mtimeMs;
  } catch {
    same = false;
  }
  if (!same) copyFileSync(from, to);
}
console.log(`onnxruntime-web runtime (${files.join(", ")}) in ${resolve(destination)}`);
