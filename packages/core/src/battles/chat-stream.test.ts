import { describe, expect, it } from "vitest";
import { ChatStreamError, createChatStreamReader } from "./chat-stream.ts";

const chunk = (content: string | null, finish: string | null = null) =>
  `data: ${JSON.stringify({ object: "chat.completion.chunk", choices: [{ index: 0, delta: content === null ? {} : { content }, finish_reason: finish }] })}\n\n`;

describe("createChatStreamReader", () => {
  it("reads deltas split anywhere, multi-byte characters included, then the finish reason, usage and [DONE]", () => {
    const text =
      chunk("Grüße ") +
      chunk("🌍!") +
      chunk(null, "stop") +
      `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 5, completion_tokens: 2 } })}\n\n` +
      "data: [DONE]\n\n";
    const bytes = new TextEncoder().encode(text);
    const reader = createChatStreamReader();
    let out = "";
    let finish: string | null = null;
    let usage = null;
    let done = false;
    for (let i = 0; i < bytes.length; i += 3) {
      const update = reader.push(bytes.subarray(i, i + 3));
      out += update.text;
      finish = update.finishReason ?? finish;
      usage = update.usage ?? usage;
      done ||= update.done;
    }
    expect(out).toBe("Grüße 🌍!");
    expect(finish).toBe("stop");
    expect(usage).toEqual({ promptTokens: 5, completionTokens: 2 });
    expect(done).toBe(true);
  });

  it("fails on a chunk that is not JSON or reports an error", () => {
    expect(() => createChatStreamReader().push(new TextEncoder().encode("data: {oops\n"))).toThrow(ChatStreamError);
    expect(() => createChatStreamReader().push(new TextEncoder().encode('data: {"error":{"message":"x"}}\n'))).toThrow(ChatStreamError);
  });
});
