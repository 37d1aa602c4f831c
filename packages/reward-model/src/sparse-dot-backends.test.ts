import { describe, expect, it } from "vitest";
import { createRewardScorer, RewardBackendUnavailableError } from "./create-reward-scorer.ts";
import { featurizeBatch } from "./featurize.ts";
import { plantedSignalPairs } from "./testing/planted-signal-pairs.ts";
import { randomRewardModel } from "./testing/random-model.ts";
import { sparseDotWasmBytes, WasmSparseDot } from "./wasm-sparse-dot.ts";
import { encodeWeights } from "./weights-format.ts";

const model = randomRewardModel(42, { dim: 1 << 12 });
const inputs = [
  ...plantedSignalPairs({ count: 40, seed: 2 }).flatMap((pair) => [
    { prompt: pair.prompt, response: pair.chosen },
    { prompt: pair.prompt, response: pair.rejected },
  ]),
  { response: "" },
  { prompt: "Explain recursion.", response: "## Recursion\n\nA function that calls itself:\n\n```js\nconst f = (n) => (n ? n * f(n - 1) : 1);\n```" },
  { response: "Ünïcödé, 日本語のテキスト, and emoji 🙂 — all hashed the same everywhere." },
];

describe("CPU backends", () => {
  it("the hand-assembled WebAssembly module is valid and tiny", () => {
    const bytes = sparseDotWasmBytes();
    expect(WebAssembly.validate(bytes)).toBe(true);
    expect(bytes.length).toBeLessThan(400);
  });

  it("reference, js and wasm agree (to the bit, well within 1e-6)", async () => {
    const scores = new Map<string, number[]>();
    for (const backend of ["reference", "js", "wasm"] as const) {
      const scorer = await createRewardScorer({ weights: model, backend });
      expect(scorer.backend).toBe(backend);
      scores.set(backend, await scorer.score(inputs));
    }
    const reference = scores.get("reference") as number[];
    expect(reference.some((score) => Math.abs(score) > 0.1)).toBe(true);
    for (const backend of ["js", "wasm"]) {
      const other = scores.get(backend) as number[];
      expect(other.length).toBe(inputs.length);
      other.forEach((score, i) => expect(Math.abs(score - (reference[i] as number))).toBeLessThanOrEqual(1e-6));
      expect(other).toEqual(reference);
    }
  });

  it("the wasm module grows its memory for large batches and scores several batches in a row", async () => {
    const wasm = await WasmSparseDot.create(model.weights);
    const many = Array.from({ length: 30 }, () => inputs).flat();
    const batch = featurizeBatch(model.featurizer, many);
    expect(batch.indices.length * 8).toBeGreaterThan(65536);
    const first = wasm.score(batch);
    const small = wasm.score(featurizeBatch(model.featurizer, inputs.slice(0, 3)));
    expect(Array.from(small)).toEqual(Array.from(first.subarray(0, 3)));
    const outside = { offsets: Uint32Array.from([0, 1]), indices: Uint32Array.from([model.weights.length]), values: Float32Array.from([1]) };
    expect(() => wasm.score(outside)).toThrow(RangeError);
  });

  it("auto picks wasm in Node and says why WebGPU was passed over", async () => {
    const scorer = await createRewardScorer({ weights: encodeWeights(model) });
    expect(scorer.backend).toBe("wasm");
    expect(scorer.skipped).toEqual([{ backend: "webgpu", reason: expect.stringMatching(/navigator\.gpu/) }]);
    expect(await scorer.score([])).toEqual([]);
  });

  it("an explicitly requested backend that cannot run fails clearly", async () => {
    await expect(createRewardScorer({ weights: model, backend: "webgpu" })).rejects.toThrow(RewardBackendUnavailableError);
  });

  it("rejects a model whose weights do not fit its featurizer", async () => {
    await expect(createRewardScorer({ weights: { ...model, weights: new Float32Array(3) } })).rejects.toThrow(RangeError);
  });
});
