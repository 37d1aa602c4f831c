import { OutboundHttpError, isOutboundError, redactUrl, requestJson, type OutboundPolicy } from "@arbiter/outbound";
import type { ConcurrencyLimiter } from "./concurrency-limiter.ts";
import { JudgeError, type JudgeErrorCode } from "./judge-error.ts";
import type { JudgeSettings } from "./judge-settings.ts";
import type { PromptMessage } from "./render-judge-prompt.ts";
import { backoffDelayMs, parseRetryAfterMs, sleep } from "./retry-policy.ts";
import type { TokenUsage } from "./token-usage.ts";

/**
 * Where a judge's chat completions go: `{baseUrl}/chat/completions` with the key as a bearer
 * token, through @arbiter/outbound under the caller's policy (allowed hosts, no redirects,
 * errors without the answer's body).
 */
export interface ChatEndpoint {
  url: string;
  headers: Record<string, string>;
  policy: OutboundPolicy;
}

export function chatEndpoint(settings: Pick<JudgeSettings, "baseUrl">, apiKey: string | undefined, policy: OutboundPolicy): ChatEndpoint {
  // The path goes before any query the base URL carries (`…/v1?api-version=…` → `…/v1/chat/completions?api-version=…`).
  const url = new URL(settings.baseUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/chat/completions`;
  url.hash = "";
  return {
    url: url.href,
    headers: apiKey && apiKey.length > 0 ? { authorization: `Bearer ${apiKey}` } : {},
    policy,
  };
}

export interface EndpointState {
  rejectsJsonMode: boolean;
}

export interface ChatCompletionReply {
  /** The assistant message text; empty when the server sent none. */
  content: string;
  finishReason: string | null;
  usage: TokenUsage;
  /** HTTP attempts made, the successful one included. */
  attempts: number;
}

interface ChatCompletionBody {
  model: string;
  messages: PromptMessage[];
  temperature?: number;
  max_tokens?: number;
  response_format?: { type: "json_object" };
}

interface ChatCompletionAnswer {
  choices?: Array<{ message?: { content?: unknown }; finish_reason?: string | null }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number };
}

interface Failure {
  code: JudgeErrorCode;
  transient: boolean;
  message: string;
  status?: number;
  retryAfterMs?: number;
  /** Only for a 400: whether its body complained about JSON mode (the body itself is never kept). */
  aboutJsonMode?: boolean;
}

const STATUS_CODES: Record<number, JudgeErrorCode> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  422: "bad_request",
};

const JSON_MODE_COMPLAINT = /response_format|json_object|json mode/i;

function classifyFailure(error: unknown, settings: JudgeSettings, url: string): Failure {
  if (error instanceof OutboundHttpError && error.status !== undefined) {
    const status = error.status;
    const message = `${error.message} (${statusWord(status)})`;
    const retryAfterMs = parseRetryAfterMs(new Headers(retryHeaders(error)));
    if (status === 429) return { code: "rate_limited", transient: true, message, status, retryAfterMs };
    if (status >= 500 || status === 408 || status === 409) return { code: "server_error", transient: true, message, status, retryAfterMs };
    return {
      code: STATUS_CODES[status] ?? "bad_request",
      transient: false,
      message,
      status,
      aboutJsonMode: status === 400 && error.bodyMatches(JSON_MODE_COMPLAINT),
    };
  }
  if (isOutboundError(error)) {
    switch (error.code) {
      case "timeout":
        return { code: "timeout", transient: true, message: `no reply from ${redactUrl(url)} within ${settings.timeoutMs} ms` };
      case "connection":
      case "dns":
        return { code: "connection", transient: true, message: error.message };
      case "redirect_refused":
        return { code: "redirect", transient: false, message: error.message, status: error.status };
      case "invalid_url":
      case "host_not_allowed":
      case "address_not_allowed":
        return { code: "host_refused", transient: false, message: error.message };
      case "response_too_large":
        return { code: "invalid_reply", transient: false, message: error.message, status: error.status };
      default:
        return { code: "server_error", transient: true, message: error.message, status: error.status };
    }
  }
  throw error;
}

function retryHeaders(error: OutboundHttpError): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of ["retry-after", "retry-after-ms"]) {
    const value = error.header(name);
    if (value !== null) headers[name] = value;
  }
  return headers;
}

const STATUS_WORDS: Record<number, string> = {
  400: "bad request",
  401: "unauthorized: check the API key",
  403: "forbidden",
  404: "not found: check the base URL and model",
  408: "request timeout",
  409: "conflict",
  413: "request too large",
  422: "unprocessable request",
  429: "rate limited",
};

function statusWord(status: number): string {
  return STATUS_WORDS[status] ?? (status >= 500 ? "server error" : "client error");
}

function abortedError(signal: AbortSignal, attempts: number): JudgeError {
  return new JudgeError("aborted", "the judge call was cancelled", { attempts, cause: signal.reason });
}

/**
 * One chat completion with this judge's retry policy: each attempt holds a limiter slot
 * and its own timeout; timeouts, connection errors, 408/409/429 and 5xx are retried with
 * exponential backoff and jitter, or after the `retry-after` the server asked for;
 * other 4xx fail at once with a code saying why, and so do refused hosts and redirects.
 * Error messages carry the status and the redacted URL, never the server's answer.
 */
export async function requestChatCompletion(options: {
  endpoint: ChatEndpoint;
  settings: JudgeSettings;
  messages: PromptMessage[];
  limiter: ConcurrencyLimiter;
  signal?: AbortSignal;
  /** Shared by a judge's calls, so a server that refuses JSON mode is asked without it from then on. */
  endpointState?: EndpointState;
}): Promise<ChatCompletionReply> {
  const { endpoint, settings, messages, limiter, signal } = options;
  const endpointState = options.endpointState ?? { rejectsJsonMode: false };
  const bodyFor = (): ChatCompletionBody => ({
    model: settings.model,
    messages,
    ...(settings.temperature === null ? {} : { temperature: settings.temperature }),
    ...(settings.maxOutputTokens === undefined ? {} : { max_tokens: settings.maxOutputTokens }),
    ...(settings.jsonMode && !endpointState.rejectsJsonMode ? { response_format: { type: "json_object" as const } } : {}),
  });

  let retries = 0;
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw abortedError(signal, attempt - 1);
    const body = bodyFor();
    try {
      const completion = await limiter.run(async () => {
        try {
          return (
            await requestJson<ChatCompletionAnswer>({
              url: endpoint.url,
              method: "POST",
              headers: endpoint.headers,
              json: body,
              policy: endpoint.policy,
              timeoutMs: settings.timeoutMs,
              signal,
            })
          ).data;
        } catch (error) {
          // Some servers (a login page behind a proxy) answer 200 with an odd body; the verdict parser reports it as a bad reply.
          if (isOutboundError(error) && error.code === "invalid_json") return {} as ChatCompletionAnswer;
          throw error;
        }
      }, signal);
      const choice = Array.isArray(completion?.choices) ? completion.choices[0] : undefined;
      const usage = completion?.usage;
      const promptTokens = usage?.prompt_tokens ?? 0;
      const completionTokens = usage?.completion_tokens ?? 0;
      return {
        content: typeof choice?.message?.content === "string" ? choice.message.content : "",
        finishReason: choice?.finish_reason ?? null,
        usage: {
          promptTokens,
          completionTokens,
          totalTokens: usage?.total_tokens ?? promptTokens + completionTokens,
          requests: 1,
        },
        attempts: attempt,
      };
    } catch (error) {
      if (signal?.aborted) throw abortedError(signal, attempt);
      const failure = classifyFailure(error, settings, endpoint.url);
      if (failure.aboutJsonMode && body.response_format !== undefined) {
        // Some servers reject response_format outright; the parser copes without it.
        endpointState.rejectsJsonMode = true;
        continue;
      }
      // No `cause`: an error answer's body stays out of anything that may be logged.
      const details = { status: failure.status, attempts: attempt, retryAfterMs: failure.retryAfterMs };
      if (!failure.transient || retries >= settings.maxRetries) {
        const suffix = failure.transient ? ` (after ${attempt} attempts)` : "";
        throw new JudgeError(failure.code, `${failure.message}${suffix}`, details);
      }
      if (failure.retryAfterMs !== undefined && failure.retryAfterMs > settings.retryMaxDelayMs) {
        throw new JudgeError(
          failure.code,
          `${failure.message}; asked to retry after ${failure.retryAfterMs} ms, more than retryMaxDelayMs (${settings.retryMaxDelayMs} ms)`,
          details,
        );
      }
      const delay = failure.retryAfterMs ?? backoffDelayMs(retries, settings.retryBaseDelayMs, settings.retryMaxDelayMs);
      retries++;
      try {
        await sleep(delay, signal);
      } catch {
        throw abortedError(signal as AbortSignal, attempt);
      }
    }
  }
}
