import * as ort from "onnxruntime-web";
import { beforeAll, describe, expect, it } from "vitest";
import { createRewardWorkerHandler } from "../reward-worker-protocol.ts";
import { buildTinyOnnxRewardModel, type TinyOnnxRewardModel } from "../testing/tiny-onnx-reward-model.ts";
import { createOnnxRewardScorer } from "./create-onnx-reward-scorer.ts";
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
    expect(scorer).toMatchObject({ kind: "onnx", backend: "onnx-wasm", outputName: "logits", labels: 1 });
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
    const bpe = { ...tiny.tokenizer, model: { type: "BPE", vocab: {}, merges: [] } };
    await expect(createOnnxRewardScorer({ ort, ...tiny, tokenizer: bpe })).rejects.toThrow(/unsupported tokenizer model "BPE"/);
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
    expect(loaded).toMatchObject({ id: 1, type: "loaded-onnx", backend: "onnx-wasm", labels: 1 });
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
  });
});
