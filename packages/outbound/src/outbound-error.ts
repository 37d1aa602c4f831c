/**
 * Why an outgoing request failed, as a short code:
 * - `invalid_url`: not an http(s) URL;
 * - `host_not_allowed`: an allow-list is set and the host is not on it;
 * - `address_not_allowed`: the host is, or resolves to, a loopback, private, link-local or other
 *   non-public address that is not listed;
 * - `redirect_refused`: the server answered 3xx (redirects are never followed);
 * - `http_status`: any other non-2xx answer (OutboundHttpError, with the status);
 * - `invalid_json`: a 2xx answer that is not JSON;
 * - `response_too_large`: the answer exceeded the byte limit;
 * - `dns`, `connection`, `timeout`, `aborted`: the network, the clock or the caller.
 */
export type OutboundErrorCode =
  | "invalid_url"
  | "host_not_allowed"
  | "address_not_allowed"
  | "redirect_refused"
  | "http_status"
  | "invalid_json"
  | "response_too_large"
  | "dns"
  | "connection"
  | "timeout"
  | "aborted";

/** Codes that no retry can fix: the destination is refused by policy. */
const REFUSED: ReadonlySet<OutboundErrorCode> = new Set(["invalid_url", "host_not_allowed", "address_not_allowed", "redirect_refused"]);

/**
 * An outgoing request's failure. Its message names the method, the redacted URL, the status and
 * what happened, never the remote answer's body: the text ends up in API answers, stored job
 * errors and logs, where a remote server's words (or an internal server's secrets) do not belong.
 */
export class OutboundError extends Error {
  override readonly name: string = "OutboundError";
  readonly code: OutboundErrorCode;
  readonly status: number | undefined;

  constructor(code: OutboundErrorCode, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
  }

  /** The destination is refused by policy (host, address, scheme or a redirect). */
  get refused(): boolean {
    return REFUSED.has(this.code);
  }
}

/**
 * A non-2xx, non-3xx answer. The body and headers are kept privately (a JS private field: not enumerable, not
 * serialized, not printed by console.log) so a caller can ask narrow questions of it — "does it
 * mention response_format?" — without ever copying it into a message.
 */
export class OutboundHttpError extends OutboundError {
  override readonly name = "OutboundHttpError";
  readonly #headers: Headers;
  readonly #body: string;

  constructor(message: string, options: { status: number; headers: Headers; body: string }) {
    super("http_status", message, { status: options.status });
    this.#headers = options.headers;
    this.#body = options.body;
  }

  /** One header of the answer (e.g. `retry-after`); the headers are private like the body. */
  header(name: string): string | null {
    return this.#headers.get(name);
  }

  /** Whether the answer's body matches the pattern; the body itself never leaves this object. */
  bodyMatches(pattern: RegExp): boolean {
    return pattern.test(this.#body);
  }
}

export function isOutboundError(error: unknown): error is OutboundError {
  return error instanceof OutboundError;
}
