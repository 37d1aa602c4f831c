import { afterEach, describe, expect, it } from "vitest";
import { failWith, replyWith, startOpenAITestServer, streamWith, type OpenAITestServer } from "./openai-test-server.ts";

let server: OpenAITestServer | undefined;
afterEach(async () => {
  await server?.close();
});

async function post(url: string, body: unknown): Promise<Response> {
  return fetch(`${url}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

describe("startOpenAITestServer", () => {
  it("answers scripted behaviours in order, then the handler, then 500", async () => {
    server = await startOpenAITestServer({ behaviours: [failWith(429, { headers: { "retry-after": "3" } })] });
    server.enqueue(replyWith({ ok: true }, { usage: { prompt_tokens: 7, completion_tokens: 3 } }));
    const request = { model: "m", messages: [{ role: "user", content: "hello" }] };

    const limited = await post(server.baseUrl, request);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("3");
    expect(await limited.json()).toMatchObject({ error: { type: "rate_limit_error" } });

    const completion = await post(server.baseUrl, request);
    expect(await completion.json()).toMatchObject({
      object: "chat.completion",
      model: "m",
      choices: [{ message: { role: "assistant", content: '{"ok":true}' }, finish_reason: "stop" }],
      usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 },
    });

    expect((await post(server.baseUrl, request)).status).toBe(500);
    server.setHandler((recorded) => replyWith(`echo ${recorded.text}`));
    expect(await (await post(server.baseUrl, request)).json()).toMatchObject({ choices: [{ message: { content: "echo hello" } }] });
    expect(server.requests.map((recorded) => recorded.index)).toEqual([0, 1, 2, 3]);
  });

  it("lists a model and 404s other routes", async () => {
    server = await startOpenAITestServer({ model: "local-judge" });
    expect(await (await fetch(`${server.baseUrl}/models`)).json()).toMatchObject({ data: [{ id: "local-judge" }] });
    expect((await fetch(`${server.baseUrl}/embeddings`, { method: "POST" })).status).toBe(404);
  });

  it("streams a chat completion token by token as Server-Sent Events, with usage when asked, cut at max_tokens", async () => {
    server = await startOpenAITestServer({ behaviours: [streamWith("one two three", { tokenDelayMs: 30 }), streamWith("a b c d", { tokenDelayMs: 1 })] });
    const started = Date.now();
    const answer = await post(server.baseUrl, {
      model: "m",
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: "user", content: "hi" }],
    });
    expect(answer.headers.get("content-type")).toBe("text/event-stream");
    const events = (await answer.text()).split("\n\n").filter(Boolean);
    expect(Date.now() - started).toBeGreaterThanOrEqual(80);
    expect(events.at(-1)).toBe("data: [DONE]");
    const chunks = events
      .slice(0, -1)
      .map((e) => JSON.parse(e.slice("data: ".length)) as { choices: Array<{ delta: { content?: string }; finish_reason: string | null }>; usage?: object });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe("one two three");
    expect(chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0]?.finish_reason).toBe("stop");
    expect(chunks.at(-1)?.usage).toMatchObject({ completion_tokens: 3 });

    const cut = await post(server.baseUrl, { model: "m", stream: true, max_tokens: 2, messages: [{ role: "user", content: "hi" }] });
    const text = await cut.text();
    expect(text).toContain('"finish_reason":"length"');
    expect(text).not.toContain('"content":" c"');
  });
});
