/**
 * Checks the WebGPU backend in a real browser: headless Chromium with --enable-unsafe-webgpu
 * (SwiftShader where there is no GPU). Bundles the scorer and the worker with esbuild, serves
 * them on 127.0.0.1, scores the same inputs with js, wasm, webgpu and the worker (webgpu), and
 * compares everything with the Node reference. Exits non-zero on a difference above 1e-4.
 *
 *   npx tsx packages/reward-model/bin/webgpu-check.ts
 *   CHROMIUM_PATH=/path/to/chrome npx tsx packages/reward-model/bin/webgpu-check.ts
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "@playwright/test";
import { build } from "esbuild";
import type { RewardInput } from "../src/featurize.ts";
import { scoreReference } from "../src/sparse-dot.ts";
import { plantedSignalPairs } from "../src/testing/planted-signal-pairs.ts";
import { trainRewardModel } from "../src/train-reward-model.ts";
import { encodeWeights } from "../src/weights-format.ts";
import { datasetsIn, loadHhRlhf } from "../src/testing/preference-datasets.ts";

const TOLERANCE = 1e-4;
const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = resolve(packageDir, "../..");

function checkInputs(): RewardInput[] {
  const planted = plantedSignalPairs({ count: 60, seed: 17 }).flatMap((p) => [
    { prompt: p.prompt, response: p.chosen },
    { prompt: p.prompt, response: p.rejected },
  ]);
  const handWritten: RewardInput[] = [
    { response: "" },
    {
      prompt: "Explain recursion.",
      response: "## Recursion\n\nA function that calls itself:\n\n```js\nconst f = (n) => (n ? n * f(n - 1) : 1);\n```\n\n- base case\n- **smaller** input",
    },
    { response: "Ünïcödé İstanbul, 日本語のテキスト, emoji 🙂 and a URL https://example.org/a?b=c — hashed the same everywhere." },
    { prompt: "Long one", response: "marvelous words keep coming and coming ".repeat(200) },
  ];
  const hh = datasetsIn(resolve(repoRoot, "../shared/data")).hh;
  const real = hh
    ? loadHhRlhf(hh)
        .pairs.slice(0, 100)
        .flatMap((p) => [
          { prompt: p.prompt, response: p.chosen },
          { prompt: p.prompt, response: p.rejected },
        ])
    : [];
  return [...planted, ...handWritten, ...real];
}

async function bundle(entry: string): Promise<string> {
  const result = await build({ entryPoints: [entry], bundle: true, format: "esm", platform: "browser", target: "es2022", write: false, logLevel: "silent" });
  return result.outputFiles[0]?.text ?? "";
}

async function main(): Promise<void> {
  const { model, metrics } = trainRewardModel({ pairs: plantedSignalPairs({ count: 400, seed: 3 }), seed: 1, epochs: 100 });
  const weights = encodeWeights(model);
  const inputs = checkInputs();
  const reference = scoreReference(model, inputs);
  console.log(
    `model: ${model.weights.length} weights (${weights.length} bytes), trained to ${(100 * metrics.trainAccuracy).toFixed(0)}% on a planted signal; ${inputs.length} inputs`,
  );

  const files: Record<string, { type: string; body: string | Uint8Array }> = {
    "/": { type: "text/html", body: '<!doctype html><meta charset="utf-8"><title>webgpu-check</title><script type="module" src="/page.js"></script>' },
    "/page.js": { type: "text/javascript", body: await bundle(join(packageDir, "bin/webgpu-check-page.ts")) },
    "/worker.js": { type: "text/javascript", body: await bundle(join(packageDir, "bin/webgpu-check-worker.ts")) },
    "/weights.arm": { type: "application/octet-stream", body: weights },
    "/inputs.json": { type: "application/json", body: JSON.stringify(inputs) },
    "/favicon.ico": { type: "image/x-icon", body: new Uint8Array() },
  };
  const server = createServer((request, response) => {
    const file = files[new URL(request.url ?? "/", "http://127.0.0.1").pathname];
    if (!file) return void response.writeHead(404).end();
    response.writeHead(200, { "content-type": file.type, "cache-control": "no-store" }).end(file.body);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--enable-unsafe-webgpu",
      "--no-sandbox",
      "--headless",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  let failed = false;
  try {
    const page = await browser.newPage();
    page.on("pageerror", (error) => console.error(`page error: ${error.message}`));
    page.on("console", (message) => message.type() === "error" && console.error(`console: ${message.text()}`));
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => (globalThis as { webgpuCheck?: unknown }).webgpuCheck !== undefined, undefined, { timeout: 180_000 });
    const result = (await page.evaluate(() => (globalThis as { webgpuCheck?: unknown }).webgpuCheck)) as {
      error?: string;
      adapter: unknown;
      scores: Record<string, number[]>;
      ms: Record<string, number>;
      auto: { backend: string; skipped: unknown[] };
      worker: { backend: string; attributionRewards: number[]; topPositive: string[] };
    };
    if (result.error) throw new Error(`the page failed: ${result.error}`);
    console.log(`adapter: ${JSON.stringify(result.adapter)}`);
    console.log(`auto (fallback adapters not allowed) chose ${result.auto.backend}; skipped ${JSON.stringify(result.auto.skipped)}`);
    const compare = (label: string, scores: readonly number[] | undefined, tolerance: number): void => {
      if (!scores || scores.length !== reference.length) {
        failed = true;
        console.log(`${label}: FAIL (got ${scores?.length ?? 0} scores, expected ${reference.length})`);
        return;
      }
      const maxDiff = Math.max(...scores.map((score, i) => Math.abs(score - (reference[i] as number))));
      const ok = maxDiff <= tolerance;
      failed ||= !ok;
      const ms = result.ms[label];
      console.log(
        `${label.padEnd(14)} max |Δ| vs Node reference = ${maxDiff.toExponential(2)} (limit ${tolerance})${ms === undefined ? "" : `, ${ms.toFixed(0)} ms`} ${ok ? "ok" : "FAIL"}`,
      );
    };
    // Browser CPU backends must match Node exactly: same featurizer, same arithmetic.
    compare("js", result.scores.js, 0);
    compare("wasm", result.scores.wasm, 0);
    compare("webgpu", result.scores.webgpu, TOLERANCE);
    compare("worker-webgpu", result.scores["worker-webgpu"], TOLERANCE);
    compare("worker-explain", result.worker.attributionRewards, 0);
    if (result.worker.backend !== "webgpu") {
      failed = true;
      console.log(`worker loaded ${result.worker.backend}, expected webgpu: FAIL`);
    }
    console.log(`worker top positive tokens (first 5 inputs): ${JSON.stringify(result.worker.topPositive)}`);
  } finally {
    await browser.close();
    server.close();
  }
  console.log(failed ? "WebGPU check FAILED" : "WebGPU check passed");
  process.exitCode = failed ? 1 : 0;
}

await main();
