import { beforeAll, describe, expect, it } from "vitest";
import { explainReward } from "./explain-reward.ts";
import type { RewardModel } from "./reward-model.ts";
import { scoreReference } from "./sparse-dot.ts";
import { plantedSignalPairs } from "./testing/planted-signal-pairs.ts";
import { trainRewardModel } from "./train-reward-model.ts";

describe("explainReward", () => {
  let model: RewardModel;
  beforeAll(() => {
    model = trainRewardModel({ pairs: plantedSignalPairs({ count: 400, seed: 21 }), dim: 1 << 13, l2: 1e-3, seed: 1 }).model;
  });

  const input = { prompt: "Question: kalo mine?", response: "Sato ruvi, MARVELOUS kane dupe. Hajo dreadful bezu vipe tomi." };

  it("credits the planted good token and blames the planted bad one", () => {
    const explanation = explainReward(model, input, { top: 3 });
    const marvelous = explanation.tokens.find((t) => t.text === "MARVELOUS");
    const dreadful = explanation.tokens.find((t) => t.text === "dreadful");
    expect(marvelous?.weight).toBeGreaterThan(0);
    expect(dreadful?.weight).toBeLessThan(0);
    expect(explanation.positive[0]).toEqual(marvelous);
    expect(explanation.negative[0]).toEqual(dreadful);
    expect(explanation.positive.length).toBeLessThanOrEqual(3);
    expect(input.response.slice(marvelous!.start, marvelous!.end)).toBe("MARVELOUS");
  });

  it("splits the whole reward: token shares plus dense contributions add up to it", () => {
    const explanation = explainReward(model, input);
    const tokens = explanation.tokens.reduce((sum, t) => sum + t.weight, 0);
    const dense = explanation.dense.reduce((sum, d) => sum + d.contribution, 0);
    expect(explanation.reward).toBe(scoreReference(model, [input])[0]);
    expect(Math.abs(tokens + dense - explanation.reward)).toBeLessThan(1e-5 * Math.max(1, Math.abs(explanation.reward)));
    expect(explanation.dense.map((d) => d.name)).toContain("prompt_coverage");
  });

  it("orders spans by strength and returns no tokens for an empty response", () => {
    const explanation = explainReward(model, input, { top: 10 });
    for (let i = 1; i < explanation.positive.length; i++) expect(explanation.positive[i - 1]!.weight).toBeGreaterThanOrEqual(explanation.positive[i]!.weight);
    for (let i = 1; i < explanation.negative.length; i++) expect(explanation.negative[i - 1]!.weight).toBeLessThanOrEqual(explanation.negative[i]!.weight);
    const empty = explainReward(model, { response: "" });
    expect(empty.tokens).toEqual([]);
    expect(empty.positive).toEqual([]);
  });
});
