import { describe, expect, it } from "vitest";
import { extractJsonObject, parseJudgeVerdict, VerdictParseError, type VerdictExpectation } from "./parse-judge-verdict.ts";

const pairwise: VerdictExpectation = {
  shape: "winner",
  labels: ["A", "B"],
  attributes: [{ name: "helpfulness", min: 0, max: 4 }],
  requireRationale: false,
};
const kwise: VerdictExpectation = { shape: "ranking", labels: ["A", "B", "C"], attributes: [], requireRationale: false };

describe("extractJsonObject", () => {
  it.each([
    ['{"winner": "A"}', { winner: "A" }],
    ['```json\n{"winner": "B"}\n```', { winner: "B" }],
    ['Sure! Here is my verdict: {"winner": "tie", "note": "a } in a string"} Hope it helps.', { winner: "tie", note: "a } in a string" }],
    ['<think>Maybe {"winner": "A"}? No.</think>{"winner": "B"}', { winner: "B" }],
    ['I compare {A and B}. {"winner": "A"}', { winner: "A" }],
  ])("finds the object in %j", (reply, expected) => {
    expect(extractJsonObject(reply)).toEqual(expected);
  });

  it.each(["", "A is better.", '{"winner": "A"', "[1, 2]"])("throws on %j", (reply) => {
    expect(() => extractJsonObject(reply)).toThrow(VerdictParseError);
  });
});

describe("parseJudgeVerdict", () => {
  it("reads a pairwise verdict and keeps only valid attribute scores", () => {
    const verdict = parseJudgeVerdict(
      JSON.stringify({
        winner: "Response a",
        confidence: 0.7,
        rationale: " A is right. ",
        attributes: { A: { helpfulness: 4, humour: 2 }, B: { helpfulness: 9 }, C: { helpfulness: 1 } },
      }),
      pairwise,
    );

    expect(verdict).toEqual({
      winner: "A",
      ranking: [["A"], ["B"]],
      confidence: 0.7,
      rationale: "A is right.",
      attributes: { A: { helpfulness: 4 } },
    });
  });

  it("reads ties, percentages and numeric strings", () => {
    expect(parseJudgeVerdict('{"winner": "Tie", "confidence": 85}', pairwise)).toMatchObject({
      winner: "tie",
      ranking: [["A", "B"]],
      confidence: 0.85,
      rationale: "",
    });
    expect(parseJudgeVerdict('{"winner": "B", "confidence": "0.4"}', pairwise).confidence).toBe(0.4);
  });

  it("reads rankings with tied groups or as a flat list", () => {
    expect(parseJudgeVerdict('{"ranking": [["C"], ["a", "B"]], "confidence": 0.6}', kwise).ranking).toEqual([["C"], ["A", "B"]]);
    expect(parseJudgeVerdict('{"ranking": ["B", "C", "A"], "confidence": 0.6}', kwise).ranking).toEqual([["B"], ["C"], ["A"]]);
  });

  it.each([
    ['{"confidence": 0.5}', pairwise, /winner: required/],
    ['{"winner": "C", "confidence": 0.5}', pairwise, /got "C"/],
    ['{"winner": "A"}', pairwise, /confidence/],
    ['{"winner": "A", "confidence": 150}', pairwise, /confidence/],
    ['{"winner": "A", "confidence": 0.5}', { ...pairwise, requireRationale: true }, /rationale: required/],
    ['{"ranking": [["A"], ["B"]], "confidence": 0.5}', kwise, /leaves out C/],
    ['{"ranking": [["A"], ["B"], ["C", "D"]], "confidence": 0.5}', kwise, /unknown labels: D/],
    ['{"ranking": [["A", "A"], ["B"], ["C"]], "confidence": 0.5}', kwise, /more than once/],
  ])("rejects %s", (reply, expectation, message) => {
    expect(() => parseJudgeVerdict(reply, expectation)).toThrow(message);
  });
});
