import { describe, expect, it } from "vitest";
import { detectIdentityLeaks } from "./detect-identity-leak.ts";

const answer = (content: string, name = "alpha", model = "org/alpha-7b") => ({ candidateId: "c1", content, name, model });

describe("detectIdentityLeaks", () => {
  it("flags self-identification with a known model or vendor", () => {
    for (const text of [
      "As ChatGPT, I cannot browse the web.",
      "I'm Claude, an AI assistant.",
      "I am an AI model called Gemini.",
      "I was trained by OpenAI.",
      "Hello! My name is Llama and I help.",
      "This model was developed by Anthropic.",
    ]) {
      expect(detectIdentityLeaks([answer(text)]), text).toMatchObject([{ reason: "self_identification" }]);
    }
  });

  it("flags the answering contestant's own name or model id anywhere", () => {
    expect(detectIdentityLeaks([answer("Here is the answer from Alpha: 42.")])).toMatchObject([{ reason: "own_name", match: "Alpha" }]);
    expect(detectIdentityLeaks([answer("alpha-7b says hi", "Zed", "org/alpha-7b")])).toMatchObject([{ reason: "own_name" }]);
  });

  it("leaves ordinary answers alone, topics included", () => {
    expect(detectIdentityLeaks([answer("The capital of France is Paris. As a rule, bread is baked daily.")])).toEqual([]);
    expect(detectIdentityLeaks([answer("Alphabet soup is tasty; the alphabet has 26 letters.")])).toEqual([]);
    expect(detectIdentityLeaks([answer("Google was founded in 1998.")])).toEqual([]);
  });
});
