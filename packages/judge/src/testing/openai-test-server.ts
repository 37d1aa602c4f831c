import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A real OpenAI-compatible HTTP server for tests (`POST /v1/chat/completions`,
 * `GET /v1/models`) on 127.0.0.1 and a free port. Each request takes the next scripted
 * behaviour from the queue, or else asks the handler; with neither it answers 500.
 */

export interface ChatRequestBody {
  model?: string;
  messages?: { role: string; content: unknown }[];
  [field: string]: unknown;
}

export interface RecordedRequest {
  /** 0-based arrival index. */
  index: number;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: ChatRequestBody;
  /** Every message's text content, joined by blank lines: handy for matching in handlers. */
  text: string;
  /** Date.now() when the request arrived. */
  receivedAt: number;
  /** Date.now() when the answer was sent; undefined while pending or when none was sent. */
  respondedAt?: number;
}

export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

export type TestServerBehaviour =
  /** 200 with a chat.completion; an object `content` is sent as its JSON text. */
  | { type: "reply"; content: string | object; usage?: Partial<ChatUsage>; finishReason?: string; delayMs?: number }
  /** An error status with an OpenAI-style `{error: {...}}` body unless `body` is given. */
  | { type: "error"; status: number; message?: string; body?: unknown; headers?: Record<string, string>; delayMs?: number }
  /** Any status with a raw body, e.g. HTML from a proxy. */
  | { type: "raw"; status?: number; body: string; headers?: Record<string, string>; delayMs?: number }
  /**
   * 200 with a streamed chat completion (Server-Sent Events, `chat.completion.chunk`s as the
   * OpenAI API sends them when the request has `stream: true`): one chunk per token, the first
   * after `firstTokenDelayMs`, then one every `tokenDelayMs`; `stallAfter` tokens and then
   * silence (the stream never finishes); `failAfter` tokens and then the connection is cut.
   * Usage comes in a last chunk when the request asked for `stream_options.include_usage`.
   */
  | {
      type: "stream";
      tokens: string[];
      tokenDelayMs?: number;
      firstTokenDelayMs?: number;
      finishReason?: string;
      stallAfter?: number;
      failAfter?: number;
      /** Before the answer's headers. */
      delayMs?: number;
    }
  /** Never answers; the request ends when the client gives up. */
  | { type: "hang" }
  /** Closes the connection without answering. */
  | { type: "drop"; delayMs?: number };

export type TestServerHandler = (request: RecordedRequest) => TestServerBehaviour | Promise<TestServerBehaviour>;

export interface OpenAITestServer {
  /** The API root to give a client, e.g. `http://127.0.0.1:53211/v1`. */
  readonly baseUrl: string;
  readonly requests: readonly RecordedRequest[];
  /** Chat requests being handled now. */
  readonly inFlight: number;
  /** The most chat requests ever handled at once. */
  readonly maxInFlight: number;
  /** Adds behaviours for the next requests, first in first used. */
  enqueue(...behaviours: TestServerBehaviour[]): void;
  /** Answers requests once the queue is empty. */
  setHandler(handler: TestServerHandler | undefined): void;
  close(): Promise<void>;
}

export function replyWith(
  content: string | object,
  extra: Omit<Extract<TestServerBehaviour, { type: "reply" }>, "type" | "content"> = {},
): TestServerBehaviour {
  return { type: "reply", content, ...extra };
}

/** A streamed reply of `text` split into word tokens (each keeps its leading space), one every `tokenDelayMs`. */
export function streamWith(
  text: string,
  extra: Omit<Extract<TestServerBehaviour, { type: "stream" }>, "type" | "tokens"> = {},
): Extract<TestServerBehaviour, { type: "stream" }> {
  return { type: "stream", tokens: text.match(/\s*\S+/g) ?? [], ...extra };
}

export function failWith(status: number, extra: Omit<Extract<TestServerBehaviour, { type: "error" }>, "type" | "status"> = {}): TestServerBehaviour {
  return { type: "error", status, ...extra };
}

function messageText(body: ChatRequestBody): string {
  return (body.messages ?? []).map((message) => (typeof message.content === "string" ? message.content : JSON.stringify(message.content))).join("\n\n");
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  response.end(text);
}

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  429: "rate_limit_error",
};

function wait(ms: number, response: ServerResponse): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(!response.destroyed);
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      response.off("close", onClose);
      resolve(!response.destroyed);
    }, ms);
    response.once("close", onClose);
  });
}

async function streamTokens(
  recorded: RecordedRequest,
  response: ServerResponse,
  behaviour: Extract<TestServerBehaviour, { type: "stream" }>,
  id: string,
  defaultModel: string | undefined,
): Promise<void> {
  const model = recorded.body.model ?? defaultModel ?? "test-model";
  const created = Math.floor(Date.now() / 1000);
  const chunk = (delta: object, finishReason: string | null, extra: object = {}) =>
    `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }], ...extra })}\n\n`;
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  response.write(chunk({ role: "assistant", content: "" }, null));
  const maxTokens = typeof recorded.body.max_tokens === "number" ? recorded.body.max_tokens : Infinity;
  let sent = 0;
  for (const token of behaviour.tokens) {
    if (!(await wait(sent === 0 ? (behaviour.firstTokenDelayMs ?? behaviour.tokenDelayMs ?? 0) : (behaviour.tokenDelayMs ?? 0), response))) return;
    if (behaviour.failAfter !== undefined && sent >= behaviour.failAfter) {
      response.socket?.destroy();
      return;
    }
    if (behaviour.stallAfter !== undefined && sent >= behaviour.stallAfter) {
      await new Promise<void>((resolve) => response.once("close", () => resolve()));
      return;
    }
    if (sent >= maxTokens) break;
    response.write(chunk({ content: token }, null));
    sent++;
  }
  const finishReason = sent >= maxTokens && sent < behaviour.tokens.length ? "length" : (behaviour.finishReason ?? "stop");
  response.write(chunk({}, finishReason));
  const streamOptions = recorded.body.stream_options as { include_usage?: boolean } | undefined;
  if (streamOptions?.include_usage) {
    const promptTokens = Math.ceil(recorded.text.length / 4);
    response.write(
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices: [], usage: { prompt_tokens: promptTokens, completion_tokens: sent, total_tokens: promptTokens + sent } })}\n\n`,
    );
  }
  response.end("data: [DONE]\n\n");
}

export async function startOpenAITestServer(
  options: { behaviours?: TestServerBehaviour[]; handler?: TestServerHandler; model?: string } = {},
): Promise<OpenAITestServer> {
  const queue: TestServerBehaviour[] = [...(options.behaviours ?? [])];
  let handler = options.handler;
  const requests: RecordedRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let completionCounter = 0;

  const answer = async (recorded: RecordedRequest, response: ServerResponse): Promise<void> => {
    const behaviour = queue.shift() ?? (handler ? await handler(recorded) : undefined);
    if (!behaviour) {
      sendJson(response, 500, { error: { message: "test server: no scripted behaviour left", type: "server_error" } });
      return;
    }
    if (behaviour.type === "hang") return new Promise((resolve) => response.on("close", () => resolve()));
    if (behaviour.delayMs) {
      const finished = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(true), behaviour.delayMs);
        response.on("close", () => {
          clearTimeout(timer);
          resolve(false);
        });
      });
      if (!finished || response.destroyed) return;
    }
    switch (behaviour.type) {
      case "drop":
        response.socket?.destroy();
        return;
      case "raw":
        response.writeHead(behaviour.status ?? 200, { "content-type": "text/html", ...behaviour.headers });
        response.end(behaviour.body);
        return;
      case "error":
        sendJson(
          response,
          behaviour.status,
          behaviour.body ?? {
            error: {
              message: behaviour.message ?? `test server error ${behaviour.status}`,
              type: ERROR_TYPES[behaviour.status] ?? "server_error",
              code: null,
              param: null,
            },
          },
          behaviour.headers,
        );
        return;
      case "stream":
        await streamTokens(recorded, response, behaviour, `chatcmpl-test-${++completionCounter}`, options.model);
        return;
      case "reply": {
        const content = typeof behaviour.content === "string" ? behaviour.content : JSON.stringify(behaviour.content);
        const promptTokens = behaviour.usage?.prompt_tokens ?? Math.ceil(recorded.text.length / 4);
        const completionTokens = behaviour.usage?.completion_tokens ?? Math.ceil(content.length / 4);
        sendJson(response, 200, {
          id: `chatcmpl-test-${++completionCounter}`,
          object: "chat.completion",
          created: Math.floor(Date.now() / 1000),
          model: recorded.body.model ?? options.model ?? "test-model",
          choices: [
            {
              index: 0,
              message: { role: "assistant", content, refusal: null },
              logprobs: null,
              finish_reason: behaviour.finishReason ?? "stop",
            },
          ],
          usage: {
            prompt_tokens: promptTokens,
            completion_tokens: completionTokens,
            total_tokens: promptTokens + completionTokens,
          },
        });
        return;
      }
    }
  };

  const server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    if (request.method === "GET" && path === "/v1/models") {
      sendJson(response, 200, { object: "list", data: [{ id: options.model ?? "test-model", object: "model", owned_by: "test" }] });
      return;
    }
    if (request.method !== "POST" || path !== "/v1/chat/completions") {
      sendJson(response, 404, { error: { message: `no route ${request.method} ${path}`, type: "not_found_error" } });
      return;
    }
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const recorded: RecordedRequest = {
      index: requests.length,
      method: request.method,
      path,
      headers: request.headers,
      body: {},
      text: "",
      receivedAt: Date.now(),
    };
    requests.push(recorded);
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        inFlight--;
      }
    };
    response.on("close", finish);
    response.on("finish", () => {
      recorded.respondedAt = Date.now();
    });
    readBody(request)
      .then(async (raw) => {
        try {
          recorded.body = JSON.parse(raw) as ChatRequestBody;
        } catch {
          sendJson(response, 400, { error: { message: "body is not JSON", type: "invalid_request_error" } });
          return;
        }
        recorded.text = messageText(recorded.body);
        await answer(recorded, response);
      })
      .catch((error: unknown) => {
        if (!response.headersSent) sendJson(response, 500, { error: { message: String(error), type: "server_error" } });
        else response.destroy();
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    enqueue: (...behaviours) => {
      queue.push(...behaviours);
    },
    setHandler: (next) => {
      handler = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
