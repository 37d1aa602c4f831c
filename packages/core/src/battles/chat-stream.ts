/**
 * Reads an OpenAI-compatible streamed chat completion (Server-Sent Events of
 * `chat.completion.chunk`s, then `data: [DONE]`) as it arrives: text deltas, the finish reason
 * and the usage (sent in a last chunk when `stream_options.include_usage` was asked for).
 * Bytes may split anywhere, in the middle of a line or of a UTF-8 character.
 */
export interface ChatStreamUpdate {
  text: string;
  finishReason: string | null;
  usage: { promptTokens: number; completionTokens: number } | null;
  done: boolean;
}

export interface ChatStreamReader {
  /** Takes the next bytes; returns what they completed (empty text when a line is still partial). */
  push(chunk: Uint8Array): ChatStreamUpdate;
}

interface ChunkShape {
  choices?: Array<{ delta?: { content?: unknown }; finish_reason?: unknown }>;
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null;
  error?: { message?: unknown };
}

export class ChatStreamError extends Error {
  override readonly name = "ChatStreamError";
}

export function createChatStreamReader(): ChatStreamReader {
  const decoder = new TextDecoder("utf-8");
  let buffer = "";
  let done = false;
  return {
    push(chunk) {
      buffer += decoder.decode(chunk, { stream: true });
      const update: ChatStreamUpdate = { text: "", finishReason: null, usage: null, done };
      let newline: number;
      while ((newline = buffer.indexOf("\n")) !== -1) {
        const line = buffer.slice(0, newline).replace(/\r$/, "");
        buffer = buffer.slice(newline + 1);
        if (!line.startsWith("data:")) continue;
        const data = line.slice(5).trim();
        if (data === "[DONE]") {
          done = true;
          update.done = true;
          continue;
        }
        let parsed: ChunkShape;
        try {
          parsed = JSON.parse(data) as ChunkShape;
        } catch {
          throw new ChatStreamError("the stream sent a chunk that is not JSON");
        }
        if (parsed.error) throw new ChatStreamError("the stream reported an error");
        const choice = parsed.choices?.[0];
        if (typeof choice?.delta?.content === "string") update.text += choice.delta.content;
        if (typeof choice?.finish_reason === "string") update.finishReason = choice.finish_reason;
        const usage = parsed.usage;
        if (usage && typeof usage.prompt_tokens === "number" && typeof usage.completion_tokens === "number") {
          update.usage = { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens };
        }
      }
      return update;
    },
  };
}
