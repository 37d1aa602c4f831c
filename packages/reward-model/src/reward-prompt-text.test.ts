import { describe, expect, it } from "vitest";
import { rewardPromptText } from "./reward-prompt-text.ts";

describe("rewardPromptText", () => {
  it("takes the prompt, else the conversation's turns, else nothing", () => {
    expect(rewardPromptText({ prompt: "Hi?", messages: [{ role: "user", content: "x" }] })).toBe("Hi?");
    expect(
      rewardPromptText({
        prompt: null,
        messages: [
          { role: "user", content: "Hi" },
          { role: "assistant", content: "Hello" },
        ],
      }),
    ).toBe("Hi\n\nHello");
    expect(rewardPromptText({})).toBe("");
  });
});
