import { createOutboundPolicy, parseHostRules } from "@arbiter/outbound";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createJudge, judgeItem } from "./judge-item.ts";
import { JudgeError } from "./judge-error.ts";
import type { JudgeSettingsInput } from "./judge-settings.ts";
import type { JudgeTaskInput } from "./judge-task.ts";
import { labelOf, shownResponses } from "./testing/judge-fixtures.ts";
import {
  failWith,
  replyWith,
  startOpenAITestServer,
  type OpenAITestServer,
  type RecordedRequest,
  type TestServerBehaviour,
} from "./testing/openai-test-server.ts";

let server: OpenAITestServer;
/** The test server listens on 127.0.0.1, which a judge reaches only when it is listed. */
const outbound = createOutboundPolicy({ allowedHosts: parseHostRules("127.0.0.1") });
beforeEach(async () => {
  server = await startOpenAITestServer();
});
afterEach(async () => {
  await server.close();
});

function settings(overrides: Partial<JudgeSettingsInput> = {}): JudgeSettingsInput {
  return {
    baseUrl: server.baseUrl,
    model: "judge-test",
    timeoutMs: 2_000,
    maxRetries: 2,
    retryBaseDelayMs: 5,
    retryMaxDelayMs: 2_000,
    ...overrides,
  };
}

const pairwiseTask: JudgeTaskInput = {
  kind: "pairwise",
  messages: [
    { role: "user", content: "What is the capital of France?" },
    { role: "assistant", content: "Do you mean the country or the region?" },
    { role: "user", content: "The country." },
  ],
  candidates: [
    { id: "resp-good", content: "Paris." },
    { id: "resp-bad", content: "Lyon." },
  ],
  guidelines: "Prefer factually correct answers.",
  attributes: [{ name: "correctness", min: 0, max: 4 }],
};

/** A judge that prefers "Paris." wherever it is shown. */
function fairPairwiseJudge(request: RecordedRequest): TestServerBehaviour {
  const good = labelOf(request, "Paris.");
  const bad = labelOf(request, "Lyon.");
  return replyWith(
    {
      winner: good,
      confidence: request.index % 2 === 0 ? 0.8 : 0.6,
      rationale: `${good} is correct.`,
      attributes: { [good]: { correctness: 4 }, [bad]: { correctness: 1 } },
    },
    { usage: { prompt_tokens: 100, completion_tokens: 20 } },
  );
}

function judgeError(promise: Promise<unknown>): Promise<JudgeError> {
  return promise.then(
    () => {
      throw new Error("expected a JudgeError");
    },
    (error: unknown) => {
      if (!(error instanceof JudgeError)) throw error;
      return error;
    },
  );
}

describe("judgeItem against an OpenAI-compatible server", () => {
  it("judges a pairwise item in both orders and maps the verdict back to candidate ids", async () => {
    server.setHandler(fairPairwiseJudge);
    const result = await judgeItem({
      outbound,
      settings: settings({ pricing: { inputPer1kTokens: 0.5, outputPer1kTokens: 1.5 } }),
      apiKey: "sk-test",
      task: pairwiseTask,
    });

    expect(result.verdict).toEqual({ winner: "resp-good" });
    expect(result.ranking).toEqual([["resp-good"], ["resp-bad"]]);
    expect(result.orderConsistent).toBe(true);
    expect(result.confidence).toBeCloseTo(0.7);
    expect(result.calls.map((call) => call.order)).toEqual([
      ["resp-good", "resp-bad"],
      ["resp-bad", "resp-good"],
    ]);
    expect(result.calls.map((call) => call.labelled.winner)).toEqual(["A", "B"]);
    expect(result.attributes).toEqual({ "resp-good": { correctness: 4 }, "resp-bad": { correctness: 1 } });
    expect(result.rationale).toMatch(/is correct/);
    expect(result.rationaleLabels[result.rationale.slice(0, 1)]).toBe("resp-good");
    expect(result.usage).toEqual({ promptTokens: 200, completionTokens: 40, totalTokens: 240, requests: 2 });
    expect(result.cost).toBeCloseTo(0.16);
    expect(result.currency).toBe("USD");
    expect(result.promptVersion).toMatch(/^[0-9a-f]{16}$/);

    const [request] = server.requests;
    expect(request?.headers.authorization).toBe("Bearer sk-test");
    expect(request?.body).toMatchObject({ model: "judge-test", temperature: 0, response_format: { type: "json_object" } });
    expect(request?.text).toContain("Prefer factually correct answers.");
    expect(request?.text).toContain("correctness (integer 0 to 4");
    expect(request?.text).toContain("[assistant]\nDo you mean the country or the region?");
    expect(request?.text).toContain('"winner": "A" or "B", or "tie"');
  });

  it("asks once more after a malformed reply and parses a fenced reply with thinking", async () => {
    server.setHandler((request) => {
      if (request.index === 0) return replyWith("I think the first one is better!");
      const winner = labelOf(request, "Paris.");
      return replyWith(`<think>Compare {both}.</think>\n\`\`\`json\n{"winner": "${winner}", "confidence": "90%", "rationale": "right"}\n\`\`\``);
    });
    const result = await judgeItem({ outbound, settings: settings(), task: { ...pairwiseTask, attributes: [] } });

    expect(result.verdict).toEqual({ winner: "resp-good" });
    expect(result.confidence).toBeCloseTo(0.9);
    expect(server.requests).toHaveLength(3);
    const retried = result.calls.find((call) => call.parseRetried);
    expect(retried?.usage.requests).toBe(2);
    const correction = server.requests[2]?.body.messages ?? [];
    expect(correction.at(-2)).toEqual({ role: "assistant", content: "I think the first one is better!" });
    expect(String(correction.at(-1)?.content)).toContain("no JSON object");
  });

  it("fails clearly when the reply is malformed twice, reporting the tokens spent", async () => {
    server.setHandler(() => replyWith('{"winner": "C", "confidence": 0.5}', { usage: { prompt_tokens: 10, completion_tokens: 5 } }));
    const error = await judgeError(judgeItem({ outbound, settings: settings(), task: pairwiseTask }));

    expect(error.code).toBe("invalid_reply");
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/winner: expected A, B or tie, got "C"/);
    expect(error.usage?.promptTokens).toBeGreaterThanOrEqual(20);
  });

  it("retries a request that outlives timeoutMs", async () => {
    server.enqueue({ type: "hang" });
    server.setHandler(fairPairwiseJudge);
    const started = Date.now();
    const result = await judgeItem({ outbound, settings: settings({ timeoutMs: 300 }), task: pairwiseTask });

    expect(result.verdict).toEqual({ winner: "resp-good" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(result.calls.map((call) => call.attempts).sort()).toEqual([1, 2]);
  });

  it("gives up with a timeout error when every attempt times out", async () => {
    server.setHandler(() => ({ type: "hang" }));
    const error = await judgeError(judgeItem({ outbound, settings: settings({ timeoutMs: 80, maxRetries: 1 }), task: { ...pairwiseTask, kind: "kwise" } }));

    expect(error.code).toBe("timeout");
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/within 80 ms/);
  });

  it("waits as long as retry-after asks on a 429", async () => {
    server.setHandler((request) => (request.index === 0 ? failWith(429, { headers: { "retry-after": "1" } }) : fairPairwiseJudge(request)));
    const result = await judgeItem({ outbound, settings: settings(), task: pairwiseTask });

    expect(result.verdict).toEqual({ winner: "resp-good" });
    const [limited, , retried] = server.requests;
    expect(retried?.receivedAt).toBeDefined();
    expect((retried?.receivedAt ?? 0) - (limited?.respondedAt ?? Infinity)).toBeGreaterThanOrEqual(990);
  });

  it("fails at once with retryAfterMs when a 429 asks for a longer wait than retryMaxDelayMs", async () => {
    server.setHandler(() => failWith(429, { headers: { "retry-after": "120" } }));
    const error = await judgeError(judgeItem({ outbound, settings: settings(), task: pairwiseTask }));

    expect(error.code).toBe("rate_limited");
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(120_000);
    expect(server.requests.length).toBeLessThanOrEqual(2);
  });

  it("retries a 500 and a dropped connection, then succeeds", async () => {
    server.enqueue(failWith(500), { type: "drop" });
    server.setHandler(fairPairwiseJudge);
    const result = await judgeItem({ outbound, settings: settings(), task: pairwiseTask });

    expect(result.verdict).toEqual({ winner: "resp-good" });
    expect(server.requests).toHaveLength(4);
    expect(result.calls.reduce((sum, call) => sum + call.attempts, 0)).toBe(4);
  });

  it("copes with HTML from a proxy: a 502 is retried, a 200 without a completion counts as a malformed reply", async () => {
    server.enqueue({ type: "raw", status: 502, body: "<html>Bad Gateway</html>" }, { type: "raw", status: 200, body: "<html>Login</html>" });
    server.setHandler(fairPairwiseJudge);
    const result = await judgeItem({ outbound, settings: settings(), task: pairwiseTask });

    expect(result.verdict).toEqual({ winner: "resp-good" });
    expect(result.calls.some((call) => call.parseRetried)).toBe(true);
    expect(server.requests).toHaveLength(4);
  });

  it("fails after maxRetries when the server keeps answering 500", async () => {
    server.setHandler(() => failWith(500, { message: "model crashed" }));
    const error = await judgeError(
      judgeItem({
        outbound,
        settings: settings({ maxRetries: 2, kwiseRotations: 1 }),
        task: { ...pairwiseTask, kind: "kwise", candidates: [...pairwiseTask.candidates, { id: "resp-3", content: "Nice." }] },
      }),
    );

    expect(error).toMatchObject({ code: "server_error", status: 500, attempts: 3, retryable: true });
    // Status and URL only: an endpoint's answer never becomes part of an error (it is shown and logged).
    expect(error.message).toBe(`POST ${server.baseUrl}/chat/completions answered 500 (server error) (after 3 attempts)`);
    expect(error.cause).toBeUndefined();
    expect(server.requests).toHaveLength(3);
  });

  it.each([
    [400, "bad_request"],
    [401, "unauthorized"],
    [403, "forbidden"],
    [404, "not_found"],
  ] as const)("does not retry a %i", async (status, code) => {
    server.setHandler(() => failWith(status));
    const error = await judgeError(judgeItem({ outbound, settings: settings({ kwiseRotations: 1 }), task: { ...pairwiseTask, kind: "kwise" } }));

    expect(error).toMatchObject({ code, status, attempts: 1, retryable: false });
    expect(server.requests).toHaveLength(1);
  });

  it("puts the path before a query the base URL carries", async () => {
    server.setHandler(fairPairwiseJudge);
    await judgeItem({ outbound, settings: settings({ baseUrl: `${server.baseUrl}/?api-version=2024-02-01` }), task: pairwiseTask });
    expect(server.requests.map((r) => r.path)).toEqual(["/v1/chat/completions", "/v1/chat/completions"]);
  });

  it("refuses a host the policy does not allow, sending nothing", async () => {
    const publicOnly = createOutboundPolicy({ allowedHosts: null });
    const error = await judgeError(judgeItem({ outbound: publicOnly, settings: settings(), apiKey: "sk-secret", task: pairwiseTask }));
    expect(error).toMatchObject({ code: "host_refused", retryable: false });
    expect(error.message).toMatch(/127\.0\.0\.1 is a loopback address/);
    expect(server.requests).toHaveLength(0);
  });

  it("never follows a redirect: a 307 fails at once with code redirect and its status", async () => {
    server.enqueue({ type: "raw", status: 307, body: "", headers: { location: "http://169.254.169.254/latest/meta-data/" } });
    const error = await judgeError(judgeItem({ outbound, settings: settings({ kwiseRotations: 1 }), task: { ...pairwiseTask, kind: "kwise" } }));
    expect(error).toMatchObject({ code: "redirect", status: 307, retryable: false, attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it("drops response_format for the rest of a judge's calls when the server refuses it", async () => {
    server.setHandler((request) =>
      request.body.response_format ? failWith(400, { message: "response_format is not supported by this model" }) : fairPairwiseJudge(request),
    );
    const judge = createJudge({ outbound, settings: settings() });
    const first = await judge.judgeItem(pairwiseTask);
    const requestsBefore = server.requests.length;
    await judge.judgeItem(pairwiseTask);

    expect(first.verdict).toEqual({ winner: "resp-good" });
    expect(server.requests.slice(0, requestsBefore).filter((request) => request.body.response_format)).toHaveLength(2);
    expect(server.requests.slice(requestsBefore).every((request) => request.body.response_format === undefined)).toBe(true);
    expect(server.requests.length - requestsBefore).toBe(2);
  });

  it("sends no response_format or temperature when settings leave them out", async () => {
    server.setHandler(fairPairwiseJudge);
    await judgeItem({ outbound, settings: settings({ jsonMode: false, temperature: null, maxOutputTokens: 256 }), task: pairwiseTask });

    expect(server.requests[0]?.body).not.toHaveProperty("response_format");
    expect(server.requests[0]?.body).not.toHaveProperty("temperature");
    expect(server.requests[0]?.body.max_tokens).toBe(256);
  });

  it("reports position bias when the two orders disagree", async () => {
    server.setHandler(() => replyWith({ winner: "A", confidence: 0.9, rationale: "A is better." }));
    const result = await judgeItem({ outbound, settings: settings(), task: pairwiseTask });

    expect(result.orderConsistent).toBe(false);
    expect(result.verdict).toEqual({ winner: "tie" });
    expect(result.confidence).toBe(0);
    expect(result.calls.map((call) => call.verdict)).toEqual([{ winner: "resp-good" }, { winner: "resp-bad" }]);
  });

  it("judges K-wise items in rotated orders and maps each ranking back to candidate ids", async () => {
    const candidates = ["third", "first", "fourth", "second"].map((content) => ({ id: `id-${content}`, content }));
    const quality = ["first", "second", "third", "fourth"];
    server.setHandler((request) => {
      const shown = shownResponses(request);
      const ranked = [...shown].sort(([, a], [, b]) => quality.indexOf(a) - quality.indexOf(b)).map(([label]) => label);
      return replyWith({
        ranking: [[ranked[0]], [ranked[1]], [ranked[2]], [ranked[3]]],
        confidence: 0.75,
        rationale: "By quality.",
        attributes: Object.fromEntries([...shown].map(([label, text]) => [label, { helpfulness: 4 - quality.indexOf(text) }])),
      });
    });
    const result = await judgeItem({
      outbound,
      settings: settings({ kwiseRotations: 4 }),
      task: { kind: "kwise", prompt: "Rank these.", candidates, attributes: [{ name: "helpfulness" }] },
    });

    expect(result.verdict).toEqual({ ranking: [["id-first"], ["id-second"], ["id-third"], ["id-fourth"]] });
    expect(result.orderConsistent).toBe(true);
    expect(result.confidence).toBeCloseTo(0.75);
    expect(result.calls.map((call) => call.order[0])).toEqual(["id-third", "id-first", "id-fourth", "id-second"]);
    expect(new Set(server.requests.map((request) => shownResponses(request).get("A"))).size).toBe(4);
    expect(result.attributes["id-first"]).toEqual({ helpfulness: 4 });
    expect(result.attributes["id-fourth"]).toEqual({ helpfulness: 1 });
  });

  it("combines inconsistent K-wise rotations into a low-confidence consensus", async () => {
    server.setHandler(() => replyWith({ ranking: ["A", "B", "C"], confidence: 0.9, rationale: "First is best." }));
    const result = await judgeItem({
      outbound,
      settings: settings({ kwiseRotations: 3 }),
      task: { kind: "kwise", prompt: "Rank.", candidates: ["x", "y", "z"].map((id) => ({ id, content: `answer ${id}` })) },
    });

    expect(result.orderConsistent).toBe(false);
    expect(result.verdict).toEqual({ ranking: [["x", "y", "z"]] });
    expect(result.confidence).toBe(0);
  });

  it("requires a rationale for rationale tasks", async () => {
    server.setHandler((request) => {
      const winner = labelOf(request, "Paris.");
      const rationale = request.index < 2 ? "" : `${winner} names the right city; the other does not.`;
      return replyWith({ winner, confidence: 0.8, rationale });
    });
    const result = await judgeItem({ outbound, settings: settings(), task: { ...pairwiseTask, kind: "rationale", attributes: [] } });

    expect(result.verdict).toEqual({ winner: "resp-good" });
    expect(result.calls.every((call) => call.parseRetried)).toBe(true);
    expect(result.rationale).toMatch(/right city/);
  });

  it("keeps requests in flight within maxConcurrency across items of one judge", async () => {
    server.setHandler((request) => ({ ...fairPairwiseJudge(request), delayMs: 30 }) as TestServerBehaviour);
    const judge = createJudge({ outbound, settings: settings({ maxConcurrency: 2 }), apiKey: "sk-test" });
    const results = await Promise.all(Array.from({ length: 5 }, () => judge.judgeItem(pairwiseTask)));

    expect(results.every((result) => "winner" in result.verdict && result.verdict.winner === "resp-good")).toBe(true);
    expect(server.requests).toHaveLength(10);
    expect(server.maxInFlight).toBe(2);
    expect(judge.limiter.active).toBe(0);
  });

  it("stops at once when the caller aborts", async () => {
    server.setHandler(() => ({ type: "hang" }));
    const controller = new AbortController();
    const pending = judgeItem({ outbound, settings: settings({ timeoutMs: 10_000 }), task: pairwiseTask, signal: controller.signal });
    while (server.requests.length < 2) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    const error = await judgeError(pending);

    expect(error.code).toBe("aborted");
    expect(error.retryable).toBe(true);
  });

  it("rejects an invalid task or settings before calling the server", async () => {
    const badTask = await judgeError(judgeItem({ outbound, settings: settings(), task: { ...pairwiseTask, candidates: [{ id: "only", content: "x" }] } }));
    const badSettings = await judgeError(judgeItem({ outbound, settings: { ...settings(), baseUrl: "not a url" }, task: pairwiseTask }));

    expect(badTask.code).toBe("invalid_input");
    expect(badTask.message).toMatch(/candidates/);
    expect(badSettings.code).toBe("invalid_input");
    expect(badSettings.message).toMatch(/baseUrl/);
    expect(server.requests).toHaveLength(0);
  });
});
