import * as ort from "onnxruntime-web";
import { beforeAll, describe, expect, it } from "vitest";
import { createRewardWorkerHandler } from "../reward-worker-protocol.ts";
import { buildTinyOnnxRewardModel, TINY_TOKENIZER_KINDS, type TinyOnnxRewardModel } from "../testing/tiny-onnx-reward-model.ts";
import { createOnnxRewardScorer, OnnxBackendUnavailableError, type OrtModule } from "./create-onnx-reward-scorer.ts";
import type { CaptureLog } from "./ort-log-capture.ts";
import { PretrainedModelError } from "./pretrained-model-error.ts";

const inputs = [
  { prompt: "What is the answer?", response: "The answer is good and helpful." },
  { prompt: "Why?", response: "That is wrong, and rude!" },
  { response: "Thanks, great answer." },
  { prompt: "", response: "" },
  { prompt: "explain", response: "unhelpfulness: Ünïcödé, 日本 and a very long tail ".repeat(20) },
];

let tiny: TinyOnnxRewardModel;
beforeAll(() => {
  tiny = buildTinyOnnxRewardModel();
});

describe("createOnnxRewardScorer", () => {
  it("scores a hand-built ONNX sequence-classification model like a plain JS reference", { timeout: 60_000 }, async () => {
    const scorer = await createOnnxRewardScorer({ ort, ...tiny, batchSize: 2 });
    expect(scorer).toMatchObject({ kind: "onnx", backend: "onnx-wasm", outputName: "logits", labels: 1, placement: null, adapter: null });
    expect(scorer.skipped).toEqual([{ backend: "onnx-webgpu", reason: "no WebGPU build of onnxruntime was given" }]);
    expect([...scorer.inputNames].sort()).toEqual(["attention_mask", "input_ids", "token_type_ids"]);
    const rewards = await scorer.score(inputs);
    const reference = inputs.map((input) => {
      const { ids, typeIds } = scorer.tokenizer.encode(input.prompt === "" ? undefined : input.prompt, input.response);
      return tiny.reference(ids, typeIds);
    });
    rewards.forEach((reward, i) => expect(Math.abs(reward - (reference[i] as number))).toBeLessThan(1e-5));
    // The planted vocabulary means something: praise scores above abuse.
    expect(rewards[0]).toBeGreaterThan(rewards[1] as number);
    // The model's 64-token limit truncates the long input (special tokens included).
    expect(scorer.tokenizer.encode(inputs[4]?.prompt, inputs[4]?.response ?? "").ids).toHaveLength(64);
    await scorer.dispose();
  });

  it("refuses corrupt model bytes, unsupported tokenizers and label counts with PretrainedModelError", { timeout: 60_000 }, async () => {
    const corrupt = tiny.model.slice(0, Math.floor(tiny.model.length / 2));
    await expect(createOnnxRewardScorer({ ort, ...tiny, model: corrupt })).rejects.toMatchObject({ name: "PretrainedModelError", reason: "bad_model" });
    const mystery = { ...tiny.tokenizer, model: { type: "Mystery", vocab: {} } };
    await expect(createOnnxRewardScorer({ ort, ...tiny, tokenizer: mystery })).rejects.toThrow(/unsupported tokenizer model "Mystery"/);
    await expect(createOnnxRewardScorer({ ort, ...tiny, config: { num_labels: 3 } })).rejects.toBeInstanceOf(PretrainedModelError);
  });

  it("runs behind the worker protocol (load-onnx, score without attributions)", { timeout: 60_000 }, async () => {
    const handle = createRewardWorkerHandler({ loadOrt: async () => ort });
    const loaded = await handle({
      id: 1,
      type: "load-onnx",
      model: tiny.model.slice().buffer,
      tokenizer: tiny.tokenizer,
      config: tiny.config,
      tokenizerConfig: tiny.tokenizerConfig,
    });
    expect(loaded).toMatchObject({ id: 1, type: "loaded-onnx", backend: "onnx-wasm", labels: 1, placement: null });
    const scored = await handle({ id: 2, type: "score", items: inputs.slice(0, 2), attributions: { top: 3 } });
    if (scored.type !== "scored") throw new Error(JSON.stringify(scored));
    expect(scored.attributions).toBeNull();
    const direct = await createOnnxRewardScorer({ ort, ...tiny });
    expect(scored.rewards).toEqual(await direct.score(inputs.slice(0, 2)));
    await direct.dispose();
    const bad = await handle({ id: 3, type: "load-onnx", model: new ArrayBuffer(10), tokenizer: tiny.tokenizer });
    expect(bad).toMatchObject({ id: 3, type: "error", code: "invalid_weights", reason: "bad_model" });
    expect(await createRewardWorkerHandler()({ id: 4, type: "load-onnx", model: new ArrayBuffer(1), tokenizer: {} })).toMatchObject({
      code: "backend_unavailable",
    });
    expect(await handle({ id: 5, type: "load-onnx", model: new ArrayBuffer(1), tokenizer: {}, backend: "cuda" })).toMatchObject({ code: "bad_request" });
    // Forced WebGPU where there is none (Node): backend_unavailable, not a silent WASM.
    const forced = await handle({ id: 6, type: "load-onnx", model: tiny.model.slice().buffer, tokenizer: tiny.tokenizer, backend: "webgpu" });
    expect(forced).toMatchObject({ id: 6, type: "error", code: "backend_unavailable", reason: "onnx-webgpu" });
    expect((forced as { message: string }).message).toMatch(/navigator\.gpu is missing/);
  });
});

describe("createOnnxRewardScorer: one tiny model per tokenizer kind", () => {
  for (const kind of TINY_TOKENIZER_KINDS) {
    it(`${kind}: the ONNX graph's rewards equal the JS reference on the tokenizer's ids`, { timeout: 60_000 }, async () => {
      const model = buildTinyOnnxRewardModel({ tokenizer: kind });
      const scorer = await createOnnxRewardScorer({ ort, ...model, backend: "wasm", batchSize: 3 });
      expect(scorer.tokenizer.kind).toBe(kind === "bpe" ? "BPE" : kind === "unigram" ? "Unigram" : "WordPiece");
      expect([...scorer.inputNames].sort()).toEqual([...model.inputNames].sort());
      const rewards = await scorer.score(inputs);
      inputs.forEach((input, i) => {
        const { ids, typeIds } = scorer.tokenizer.encode(input.prompt === "" ? undefined : input.prompt, input.response);
        expect(Math.abs((rewards[i] as number) - model.reference(ids, typeIds)), `${kind} input ${i}`).toBeLessThan(1e-5);
      });
      expect(rewards[0]).toBeGreaterThan(rewards[1] as number);
      // Padding to the batch's longest input does not change a reward (the mask excludes the pads).
      const [alone] = await scorer.score([inputs[1]!]);
      expect(Math.abs((alone as number) - (rewards[1] as number))).toBeLessThan(1e-5);
      await scorer.dispose();
    });
  }
});

/** A GPU whose only adapter is a software one, as headless Chromium's SwiftShader. */
const softwareGpu = {
  requestAdapter: async () => ({ info: { vendor: "google", architecture: "swiftshader", isFallbackAdapter: true } }),
} as unknown as GPU;

/** onnxruntime-web's WASM build standing in for its WebGPU build, with the placement log a session would write. */
function fakeWebGpu(lines: string[]): { ort: OrtModule; captureLog: CaptureLog; created: unknown[] } {
  const created: unknown[] = [];
  return {
    created,
    ort: {
      Tensor: ort.Tensor,
      InferenceSession: {
        create: (bytes: Uint8Array, options: { executionProviders: string[] }) => {
          created.push(options.executionProviders);
          return ort.InferenceSession.create(bytes, { ...options, executionProviders: ["wasm"], logSeverityLevel: 3 });
        },
      },
    } as unknown as OrtModule,
    captureLog: async (run) => ({ value: await run(), lines }),
  };
}

const ortLine = (text: string) => `2026-12-03 15:00:00.000 [V:onnxruntime:, session_state.cc:1287 VerifyEachNodeIsAssignedToAnEp] ${text}`;

describe("createOnnxRewardScorer: choosing WebGPU (the decision; the real WebGPU run is e2e/hints.spec.ts)", () => {
  it("auto passes over a software adapter without loading the WebGPU build; forced webgpu without a placement log is refused", async () => {
    let loads = 0;
    const webgpuOrt = async () => {
      loads++;
      return ort as OrtModule;
    };
    const auto = await createOnnxRewardScorer({ ort, ...tiny, webgpu: { ort: webgpuOrt, gpu: softwareGpu } });
    expect(auto.backend).toBe("onnx-wasm");
    expect(auto.skipped[0]?.reason).toMatch(/only a fallback adapter is available \(google swiftshader\)/);
    expect(loads).toBe(0);
    await auto.dispose();
    const forced = createOnnxRewardScorer({ ort, ...tiny, backend: "webgpu", webgpu: { ort: webgpuOrt, gpu: softwareGpu, allowFallbackAdapter: true } });
    await expect(forced).rejects.toBeInstanceOf(OnnxBackendUnavailableError);
    await expect(forced).rejects.toThrow(/node placement cannot be read/);
  });

  it("claims WebGPU only when onnxruntime's log puts the forward pass there", { timeout: 60_000 }, async () => {
    const allOnGpu = fakeWebGpu([ortLine(" Node placements"), ortLine(" All nodes placed on [WebGpuExecutionProvider]. Number of nodes: 11")]);
    const claimed = await createOnnxRewardScorer({ ort, ...tiny, webgpu: { ...allOnGpu, gpu: softwareGpu, allowFallbackAdapter: true } });
    expect(claimed).toMatchObject({ backend: "onnx-webgpu", placement: "all 11 nodes on WebGPU", skipped: [] });
    expect(claimed.adapter).toMatchObject({ architecture: "swiftshader", isFallbackAdapter: true });
    expect(allOnGpu.created).toEqual([["webgpu"]]);
    await claimed.dispose();

    const matmulOnCpu = fakeWebGpu([
      ortLine(" Node(s) placed on [CPUExecutionProvider]. Number of nodes: 2"),
      ortLine("  Cast (maskf)"),
      ortLine("  MatMul (scores)"),
      ortLine(" Node(s) placed on [WebGpuExecutionProvider]. Number of nodes: 9"),
      ortLine("  Gather (tok)"),
    ]);
    const fellBack = await createOnnxRewardScorer({ ort, ...tiny, webgpu: { ...matmulOnCpu, gpu: softwareGpu, allowFallbackAdapter: true } });
    expect(fellBack.backend).toBe("onnx-wasm");
    expect(fellBack.skipped[0]?.reason).toMatch(/the forward pass would not run on WebGPU: MatMul placed elsewhere/);
    // Both sessions were created, the WebGPU one released: the WASM one scores like the reference.
    expect(matmulOnCpu.created).toEqual([["webgpu"]]);
    const [reward] = await fellBack.score([inputs[0]!]);
    const { ids, typeIds } = fellBack.tokenizer.encode(inputs[0]!.prompt, inputs[0]!.response);
    expect(Math.abs((reward as number) - tiny.reference(ids, typeIds))).toBeLessThan(1e-5);
    await fellBack.dispose();

    const silent = fakeWebGpu(["some unrelated line"]);
    await expect(
      createOnnxRewardScorer({ ort, ...tiny, backend: "webgpu", webgpu: { ...silent, gpu: softwareGpu, allowFallbackAdapter: true } }),
    ).rejects.toThrow(/did not log where it placed/);
  });
});
