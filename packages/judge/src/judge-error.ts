import type { TokenUsage } from "./token-usage.ts";

/**
 * Why a judge call failed. `retryable` tells a durable job whether running the whole
 * `judgeItem` again later may succeed (the endpoint was busy, slow or unreachable); the
 * other codes need a change of settings, key or task first — `host_refused` (the base URL's
 * host is not allowed by the outbound policy) and `redirect` (the endpoint answered 3xx;
 * redirects are never followed) among them.
 */
export type JudgeErrorCode =
  | "invalid_input"
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "rate_limited"
  | "server_error"
  | "timeout"
  | "connection"
  | "invalid_reply"
  | "host_refused"
  | "redirect"
  | "aborted";

const RETRYABLE_CODES: ReadonlySet<JudgeErrorCode> = new Set(["rate_limited", "server_error", "timeout", "connection", "aborted"]);

export interface JudgeErrorDetails {
  status?: number;
  /** HTTP attempts made for the chat completion that failed. */
  attempts?: number;
  /** From `retry-after` on a 429 that asked for a longer wait than this judge will sleep. */
  retryAfterMs?: number;
  /** Tokens already spent on this item before it failed (they are billed all the same). */
  usage?: TokenUsage;
  cause?: unknown;
}

export class JudgeError extends Error {
  override readonly name = "JudgeError";
  readonly code: JudgeErrorCode;
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly attempts: number | undefined;
  readonly retryAfterMs: number | undefined;
  usage: TokenUsage | undefined;

  constructor(code: JudgeErrorCode, message: string, details: JudgeErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.retryable = RETRYABLE_CODES.has(code);
    this.status = details.status;
    this.attempts = details.attempts;
    this.retryAfterMs = details.retryAfterMs;
    this.usage = details.usage;
  }
}

export function isJudgeError(error: unknown): error is JudgeError {
  return error instanceof JudgeError;
}
