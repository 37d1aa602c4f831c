import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from "openai";
import type { ConcurrencyLimiter } from "./concurrency-limiter.ts";
import { JudgeError, type JudgeErrorCode } from "./judge-error.ts";
import type { JudgeSettings } from "./judge-settings.ts";
import type { PromptMessage } from "./render-judge-prompt.ts";
import { backoffDelayMs, parseRetryAfterMs, sleep } from "./retry-policy.ts";
import type { TokenUsage } from "./token-usage.ts";

/**
 * An OpenAI client for any OpenAI-compatible server. Its own retries are off (ours honour
 * the settings and `retry-after`), and every option it would read from the environment is
 * given explicitly, so the judge depends on nothing but its arguments.
 */
export function createJudgeClient(settings: Pick<JudgeSettings, "baseUrl" | "timeoutMs">, apiKey: string | undefined): OpenAI {
  return new OpenAI({
    // Local servers take no key, but the client insists on one.
    apiKey: apiKey && apiKey.length > 0 ? apiKey : "no-key",
    baseURL: settings.baseUrl,
    adminAPIKey: null,
    organization: null,
    project: null,
    webhookSecret: null,
    maxRetries: 0,
    timeout: settings.timeoutMs,
    logLevel: "off",
  });
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

interface Failure {
  code: JudgeErrorCode;
  transient: boolean;
  message: string;
  status?: number;
  retryAfterMs?: number;
}

const STATUS_CODES: Record<number, JudgeErrorCode> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  422: "bad_request",
};

function classifyFailure(error: unknown, timedOut: boolean, settings: JudgeSettings): Failure {
  const endpoint = `${settings.baseUrl.replace(/\/+$/, "")}/chat/completions`;
  if (timedOut || error instanceof APIConnectionTimeoutError) {
    return { code: "timeout", transient: true, message: `no reply from ${endpoint} within ${settings.timeoutMs} ms` };
  }
  if (error instanceof APIConnectionError) {
    return { code: "connection", transient: true, message: `cannot reach ${endpoint}: ${error.message}` };
  }
  if (error instanceof APIError && typeof error.status === "number") {
    const status = error.status;
    const message = `${endpoint} answered ${error.message}`;
    const retryAfterMs = parseRetryAfterMs(error.headers);
    if (status === 429) return { code: "rate_limited", transient: true, message, status, retryAfterMs };
    if (status >= 500 || status === 408 || status === 409) {
      return { code: "server_error", transient: true, message, status, retryAfterMs };
    }
    return { code: STATUS_CODES[status] ?? "bad_request", transient: false, message, status };
  }
  if (error instanceof SyntaxError) {
    return { code: "server_error", transient: true, message: `${endpoint} sent a body that is not JSON: ${error.message}` };
  }
  throw error;
}

function abortedError(signal: AbortSignal, attempts: number): JudgeError {
  return new JudgeError("aborted", "the judge call was cancelled", { attempts, cause: signal.reason });
}

/**
 * One chat completion with this judge's retry policy: each attempt holds a limiter slot
 * and its own timeout; timeouts, connection errors, 408/409/429 and 5xx are retried with
 * exponential backoff and jitter, or after the `retry-after` the server asked for;
 * other 4xx fail at once with a code saying why.
 */
export async function requestChatCompletion(options: {
  client: OpenAI;
  settings: JudgeSettings;
  messages: PromptMessage[];
  limiter: ConcurrencyLimiter;
  signal?: AbortSignal;
  /** Shared by a judge's calls, so a server that refuses JSON mode is asked without it from then on. */
  endpointState?: EndpointState;
}): Promise<ChatCompletionReply> {
  const { client, settings, messages, limiter, signal } = options;
  const endpointState = options.endpointState ?? { rejectsJsonMode: false };
  const bodyFor = (): OpenAI.Chat.ChatCompletionCreateParamsNonStreaming => ({
    model: settings.model,
    messages,
    ...(settings.temperature === null ? {} : { temperature: settings.temperature }),
    ...(settings.maxOutputTokens === undefined ? {} : { max_tokens: settings.maxOutputTokens }),
    ...(settings.jsonMode && !endpointState.rejectsJsonMode ? { response_format: { type: "json_object" } } : {}),
  });

  let retries = 0;
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw abortedError(signal, attempt - 1);
    let timeout: AbortSignal | undefined;
    const body = bodyFor();
    try {
      const completion = await limiter.run(() => {
        timeout = AbortSignal.timeout(settings.timeoutMs);
        const requestSignal = signal ? AbortSignal.any([signal, timeout]) : timeout;
        return client.chat.completions.create(body, { signal: requestSignal, maxRetries: 0, timeout: settings.timeoutMs });
      }, signal);
      // Some servers answer 200 with an odd body; the verdict parser reports it as a bad reply.
      const choice = (completion as Partial<OpenAI.Chat.ChatCompletion>).choices?.[0];
      const usage = (completion as Partial<OpenAI.Chat.ChatCompletion>).usage;
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
      const failure = classifyFailure(error, timeout?.aborted ?? false, settings);
      if (
        failure.code === "bad_request" &&
        body.response_format !== undefined &&
        /response_format|json_object|json mode/i.test(failure.message)
      ) {
        // Some servers reject response_format outright; the parser copes without it.
        endpointState.rejectsJsonMode = true;
        continue;
      }
      const details = { status: failure.status, attempts: attempt, retryAfterMs: failure.retryAfterMs, cause: error };
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
