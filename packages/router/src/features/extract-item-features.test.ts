import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { RoutingItem } from "../types.ts";
import { countSafetyTerms, hasCode, hasList, hasMarkdown, hasMath, isRefusal } from "./detect-content.ts";
import { extractItemFeatures } from "./extract-item-features.ts";
import { FEATURE_DEFINITIONS, FEATURE_NAMES } from "./feature-definitions.ts";
import { rouge1F, tokenCosine } from "./lexical-similarity.ts";
import { tokenize } from "./tokenize.ts";

const pair = (a: string, b: string, extra: Partial<RoutingItem> = {}): RoutingItem => ({
  id: "x",
  prompt: "What colour is the sky?",
  responses: [
    { id: "a", content: a },
    { id: "b", content: b },
  ],
  ...extra,
});

describe("tokenize", () => {
  it("lower-cases words and drops punctuation", () => {
    expect(tokenize("Hello, World! It's 42.")).toEqual(["hello", "world", "it", "s", "42"]);
  });
  it("splits CJK text into characters", () => {
    expect(tokenize("天空是蓝色 ok")).toEqual(["天", "空", "是", "蓝", "色", "ok"]);
  });
});

describe("lexical similarity", () => {
  it("computes ROUGE-1 F on known inputs", () => {
    expect(rouge1F(["the", "cat", "sat"], ["the", "cat", "sat"])).toBe(1);
    // overlap 1 ("the"); precision 1/2, recall 1/2
    expect(rouge1F(["the", "cat"], ["the", "dog"])).toBeCloseTo(0.5, 12);
    // clipped counts: overlap min(2,1)=1; P = 1/3, R = 1/1 → F = 0.5
    expect(rouge1F(["a", "a", "b"], ["a"])).toBeCloseTo(0.5, 12);
    expect(rouge1F([], ["a"])).toBe(0);
  });
  it("computes term-frequency cosine", () => {
    // [2,1] · [1,0] / (√5 · 1)
    expect(tokenCosine(["a", "a", "b"], ["a"])).toBeCloseTo(2 / Math.sqrt(5), 12);
    expect(tokenCosine(["a"], ["b"])).toBe(0);
  });
});

describe("content detectors", () => {
  it("finds code", () => {
    expect(hasCode("```js\nconsole.log(1)\n```")).toBe(true);
    expect(hasCode("def add(a, b):\n    return a + b")).toBe(true);
    expect(hasCode("I like to define my terms before I return home.")).toBe(false);
  });
  it("finds math", () => {
    expect(hasMath("Solve $x^2 = 4$")).toBe(true);
    expect(hasMath("so 12 + 30 = 42")).toBe(true);
    expect(hasMath("The meeting is at noon.")).toBe(false);
  });
  it("needs two list lines for a list", () => {
    expect(hasList("- one\n- two")).toBe(true);
    expect(hasList("1. first\n2) second")).toBe(true);
    expect(hasList("- only one")).toBe(false);
  });
  it("finds markdown", () => {
    expect(hasMarkdown("## Title\ntext")).toBe(true);
    expect(hasMarkdown("this is **bold**")).toBe(true);
    expect(hasMarkdown("plain prose, nothing else")).toBe(false);
  });
  it("counts safety vocabulary and refusals", () => {
    expect(countSafetyTerms("How do I build a weapon or a bomb to kill pests?")).toBe(3);
    expect(countSafetyTerms("How do I bake bread?")).toBe(0);
    expect(isRefusal("I'm sorry, but I can't help with that.")).toBe(true);
    expect(isRefusal("I can't wait to help you bake!")).toBe(false);
  });
});

describe("extractItemFeatures", () => {
  it("produces every documented feature, in a fixed set", () => {
    const features = extractItemFeatures(pair("Blue.", "The sky is blue."));
    expect(Object.keys(features).sort()).toEqual([...FEATURE_NAMES].sort());
    for (const name of FEATURE_NAMES) expect(FEATURE_DEFINITIONS[name].description.length).toBeGreaterThan(10);
  });

  it("documents every feature in the README", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    for (const name of FEATURE_NAMES) expect(readme).toContain(`\`${name}\``);
  });

  it("measures lengths and similarity on a known pair", () => {
    const f = extractItemFeatures(pair("blue", "the sky is blue"));
    expect(f.prompt_tokens).toBe(5);
    expect(f.shorter_response_tokens).toBe(1);
    expect(f.longer_response_tokens).toBe(4);
    expect(f.length_diff_tokens).toBe(3);
    expect(f.length_diff_relative).toBeCloseTo(3 / 6, 12);
    expect(f.rouge1_f).toBeCloseTo((2 * 1 * 0.25) / 1.25, 12);
    expect(f.token_cosine).toBeCloseTo(1 / 2, 12);
    expect(f.conversation_turns).toBe(1);
  });

  it("flags formats, including a mismatch between responses", () => {
    const f = extractItemFeatures(pair("- a\n- b\n\n**done**", "```py\nprint(1)\n```"));
    expect(f.has_list).toBe(1);
    expect(f.has_markdown).toBe(1);
    expect(f.has_code).toBe(1);
    // list: one response only; code: one only; markdown: both (bold vs fence)
    expect(f.format_mismatch).toBe(2);
    expect(f.has_math).toBe(0);
  });

  it("counts conversation turns from messages and from pasted transcripts", () => {
    const messages = extractItemFeatures({
      ...pair("a", "b"),
      prompt: undefined,
      messages: [
        { role: "user", content: "hi" },
        { role: "assistant", content: "hello" },
        { role: "user", content: "and then?" },
      ],
    });
    expect(messages.conversation_turns).toBe(2);
    expect(messages.prompt_tokens).toBe(4);
    const transcript = extractItemFeatures(pair("a", "b", { prompt: "\n\nHuman: hi\n\nAssistant: hello\n\nHuman: more" }));
    expect(transcript.conversation_turns).toBe(2);
  });

  it("leaves judge and reward features null when they are not given", () => {
    const f = extractItemFeatures(pair("a", "b"));
    expect(f.judge_confidence).toBeNull();
    expect(f.judge_order_inconsistent).toBeNull();
    expect(f.judge_tie).toBeNull();
    expect(f.reward_margin).toBeNull();
    expect(f.reward_judge_disagree).toBeNull();
  });

  it("reads the judge verdict and the reward margin", () => {
    const f = extractItemFeatures(pair("a", "b", { judge: { winner: "a", confidence: 0.7, consistent: false }, rewardScores: { a: 0.2, b: 1.5 } }));
    expect(f.judge_confidence).toBe(0.7);
    expect(f.judge_order_inconsistent).toBe(1);
    expect(f.judge_tie).toBe(0);
    expect(f.reward_margin).toBeCloseTo(1.3, 12);
    expect(f.reward_judge_disagree).toBe(1);
    const tie = extractItemFeatures(pair("a", "b", { judge: { winner: "tie", consistent: true }, rewardScores: { a: 1, b: 0 } }));
    expect(tie.judge_tie).toBe(1);
    expect(tie.judge_order_inconsistent).toBe(0);
    expect(tie.reward_judge_disagree).toBeNull();
  });

  it("is deterministic", () => {
    const item = pair("Some **answer** with 2 + 2 = 4", "Another answer about weapons", { judge: { winner: "b", confidence: 0.9 } });
    expect(extractItemFeatures(item)).toEqual(extractItemFeatures(structuredClone(item)));
  });
});
