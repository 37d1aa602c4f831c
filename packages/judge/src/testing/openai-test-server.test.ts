import { afterEach, describe, expect, it } from "vitest";
import { failWith, replyWith, startOpenAITestServer, type OpenAITestServer } from "./openai-test-server.ts";

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
});
