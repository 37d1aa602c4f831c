import { describe, expect, it } from "vitest";
import { splitAtLastAssistantTurn } from "./split-conversation.ts";

describe("splitAtLastAssistantTurn", () => {
  it("keeps earlier turns as the prompt and the last assistant turn as the response", () => {
    const transcript = "\n\nHuman: hi\n\nAssistant: hello\n\nHuman: how are you?\n\nAssistant: Fine, thanks.";
    expect(splitAtLastAssistantTurn(transcript)).toEqual({
      prompt: "Human: hi\n\nAssistant: hello\n\nHuman: how are you?\n\nAssistant:",
      response: "Fine, thanks.",
    });
  });

  it("returns null without an assistant turn and an empty response for an empty turn", () => {
    expect(splitAtLastAssistantTurn("\n\nHuman: hi")).toBeNull();
    expect(splitAtLastAssistantTurn("\n\nHuman: hi\n\nAssistant:")?.response).toBe("");
  });
});
