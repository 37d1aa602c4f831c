import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { OutboundError, OutboundHttpError } from "./outbound-error.ts";
import { assertResolvedAddresses, checkDestination, type AllowedDestination, type OutboundPolicy } from "./outbound-policy.ts";
import { redactUrl } from "./redact-url.ts";

export interface OutboundRequest {
  url: string | URL;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  policy: OutboundPolicy;
  /** For the whole exchange: connecting, sending, and reading the full answer. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Answers longer than this fail with `response_too_large` (default 8 MiB). */
  maxResponseBytes?: number;
  /**
   * For streamed answers (Server-Sent Events): a 2xx answer's body is handed over chunk by chunk
   * as it arrives instead of being collected (the answer's `body` is then empty); other statuses
   * are collected as usual. The limits (timeout, size) hold for the whole stream.
   */
  onChunk?: (chunk: Buffer) => void;
}

export interface OutboundResponse {
  status: number;
  headers: Headers;
  body: Buffer;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** Connection pools per policy: a pooled socket was connected to an address that policy checked. */
const agents = new WeakMap<OutboundPolicy, { http: HttpAgent; https: HttpsAgent }>();

function agentsFor(policy: OutboundPolicy) {
  let pair = agents.get(policy);
  if (!pair) {
    pair = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
    agents.set(policy, pair);
  }
  return pair;
}

/**
 * Resolves once, checks every address, and hands exactly those addresses to the socket: the
 * address connected to is the address checked (a DNS answer that changes between a check and
 * the connection — DNS rebinding — cannot slip a private address in).
 */
function checkedLookup(destination: AllowedDestination, policy: OutboundPolicy): LookupFunction {
  return (hostname, options, callback) => {
    policy
      .resolve(hostname)
      .then((all) => {
        assertResolvedAddresses(destination, all);
        const family = options.family === 4 || options.family === 6 ? options.family : 0;
        const wanted = family === 0 ? all : all.filter((entry) => entry.family === family);
        const first = wanted[0];
        if (!first) throw Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" });
        if (options.all)
          callback(
            null,
            wanted.map((entry) => ({ address: entry.address, family: entry.family })),
          );
        else callback(null, first.address, first.family);
      })
      .catch((error: NodeJS.ErrnoException) => callback(error, "", 0));
  };
}

function toHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return headers;
}

function networkError(error: NodeJS.ErrnoException, label: string): OutboundError {
  if (error instanceof OutboundError) return error;
  const code = typeof error.code === "string" ? error.code : undefined;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME" || code === "EAI_FAIL") {
    return new OutboundError("dns", `cannot resolve the host of ${label} (${code})`);
  }
  return new OutboundError("connection", `cannot reach ${label} (${code ?? "connection failed"})`);
}

/**
 * Sends one HTTP request under a policy and returns the answer for any status but 3xx.
 * Redirects are never followed: a 3xx fails with `redirect_refused` and its status, its body
 * unread. The host is checked before connecting and each address it resolves to at connect
 * time (`checkDestination`, `checkedLookup`). Errors say what happened with the redacted URL,
 * never the answer's body.
 */
export function sendOutboundRequest(request: OutboundRequest): Promise<OutboundResponse> {
  const method = (request.method ?? "GET").toUpperCase();
  let destination: AllowedDestination;
  try {
    destination = checkDestination(request.url, request.policy);
  } catch (error) {
    return Promise.reject(error);
  }
  const { url } = destination;
  const label = `${method} ${redactUrl(url.href)}`;
  const maxBytes = request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const secure = url.protocol === "https:";
  const pool = agentsFor(request.policy);

  return new Promise<OutboundResponse>((resolve, reject) => {
    let settled = false;
    const body = request.body === undefined ? undefined : typeof request.body === "string" ? Buffer.from(request.body, "utf8") : Buffer.from(request.body);
    const send = secure ? httpsRequest : httpRequest;
    const req = send({
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ""),
      port: url.port === "" ? undefined : Number(url.port),
      path: `${url.pathname}${url.search}`,
      // User info in the URL is sent as Basic auth, unless the caller set an Authorization header.
      ...(url.username || url.password ? { auth: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` } : {}),
      method,
      headers: { ...request.headers, ...(body ? { "content-length": String(body.length) } : {}) },
      agent: secure ? pool.https : pool.http,
      lookup: checkedLookup(destination, request.policy),
    });

    const finish = (outcome: { error: OutboundError } | { response: OutboundResponse }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal?.removeEventListener("abort", onAbort);
      if ("error" in outcome) {
        req.destroy();
        reject(outcome.error);
      } else {
        resolve(outcome.response);
      }
    };
    const timer = setTimeout(
      () => finish({ error: new OutboundError("timeout", `no complete answer from ${label} within ${request.timeoutMs} ms`) }),
      request.timeoutMs,
    );
    const onAbort = () => finish({ error: new OutboundError("aborted", `${label} was cancelled`, { cause: request.signal?.reason }) });
    if (request.signal?.aborted) {
      onAbort();
      return;
    }
    request.signal?.addEventListener("abort", onAbort, { once: true });

    req.on("error", (error: NodeJS.ErrnoException) => finish({ error: networkError(error, label) }));
    req.on("response", (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        finish({ error: new OutboundError("redirect_refused", `${label} answered ${status} (a redirect); redirects are not followed`, { status }) });
        res.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      let received = 0;
      const streamed = request.onChunk !== undefined && status >= 200 && status < 300;
      res.on("data", (chunk: Buffer) => {
        received += chunk.length;
        if (received > maxBytes) {
          finish({ error: new OutboundError("response_too_large", `${label} answered ${status} with more than ${maxBytes} bytes`, { status }) });
          res.destroy();
          return;
        }
        if (streamed) {
          if (settled) return;
          try {
            request.onChunk?.(chunk);
          } catch (error) {
            finish({ error: new OutboundError("aborted", `${label}: the stream's reader failed`, { status, cause: error }) });
            res.destroy();
          }
        } else chunks.push(chunk);
      });
      res.on("error", (error: NodeJS.ErrnoException) => finish({ error: networkError(error, label) }));
      res.on("aborted", () => finish({ error: new OutboundError("connection", `${label}: the connection closed before the answer was complete`, { status }) }));
      res.on("end", () => finish({ response: { status, headers: toHeaders(res.headers), body: Buffer.concat(chunks) } }));
    });
    req.end(body);
  });
}

/**
 * A JSON request (`json` is sent as the body) whose 2xx answer is parsed. Any other status fails
 * with OutboundHttpError: status and header access, the body kept out of the message.
 */
export async function requestJson<T = unknown>(
  request: Omit<OutboundRequest, "body"> & { json?: unknown },
): Promise<{ status: number; headers: Headers; data: T }> {
  const { json, ...rest } = request;
  const method = (rest.method ?? (json === undefined ? "GET" : "POST")).toUpperCase();
  const response = await sendOutboundRequest({
    ...rest,
    method,
    headers: { accept: "application/json", ...(json === undefined ? {} : { "content-type": "application/json" }), ...rest.headers },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
  const label = `${method} ${redactUrl(new URL(request.url).href)}`;
  if (response.status < 200 || response.status >= 300) {
    throw new OutboundHttpError(`${label} answered ${response.status}`, {
      status: response.status,
      headers: response.headers,
      body: response.body.subarray(0, 65_536).toString("utf8"),
    });
  }
  try {
    return { status: response.status, headers: response.headers, data: JSON.parse(response.body.toString("utf8")) as T };
  } catch {
    throw new OutboundError("invalid_json", `${label} answered ${response.status} with a body that is not JSON`, { status: response.status });
  }
}
