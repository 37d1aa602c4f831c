/**
 * The browser's one way to call the app's own HTTP API (the session cookie goes along, same
 * origin). Every failure becomes an ApiCallError with the answer's status, code, message and
 * details: `{ error: { code, message, details? } }` from our API, `{ code, message }` from
 * better-auth's routes under /api/auth, and status 0 (code `network_error`) when no answer came.
 */
export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Array<Record<string, unknown>> = [],
  ) {
    super(message);
  }

  /** No answer came (offline, the server down, the connection dropped). */
  get unreachable(): boolean {
    return this.status === 0;
  }
}

export interface ApiCallOptions {
  /** GET without a body, POST with one, unless given. */
  method?: string;
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  cache?: RequestCache;
  /** The message when an error answer carries none; `Request failed (<status>)` by default. */
  fallbackMessage?: string | ((status: number) => string);
}

type Fallback = ApiCallOptions["fallbackMessage"];

function fallbackText(fallback: Fallback, status: number): string {
  if (typeof fallback === "function") return fallback(status);
  return fallback ?? `Request failed (${status})`;
}

/** The error an answer with `status` and parsed `body` (null when not JSON) stands for. */
export function apiErrorOf(status: number, body: unknown, fallback?: Fallback): ApiCallError {
  const record = (value: unknown) => (value && typeof value === "object" ? (value as Record<string, unknown>) : undefined);
  const outer = record(body);
  const error = record(outer?.error) ?? (typeof outer?.code === "string" ? outer : undefined);
  const code = typeof error?.code === "string" ? error.code : "error";
  const message = typeof error?.message === "string" && error.message ? error.message : fallbackText(fallback, status);
  const details = Array.isArray(error?.details) ? (error.details as Array<Record<string, unknown>>) : [];
  return new ApiCallError(status, code, message, details);
}

function unreachable(error: unknown): ApiCallError {
  return new ApiCallError(0, "network_error", (error as Error)?.message || "network error");
}

async function send(url: string, options: ApiCallOptions): Promise<Response> {
  const hasBody = options.body !== undefined;
  try {
    return await fetch(url, {
      method: options.method ?? (hasBody ? "POST" : "GET"),
      headers: { ...(hasBody ? { "content-type": "application/json" } : {}), ...options.headers },
      ...(hasBody ? { body: JSON.stringify(options.body) } : {}),
      ...(options.cache ? { cache: options.cache } : {}),
    });
  } catch (error) {
    throw unreachable(error);
  }
}

async function failure(response: Response, fallback: Fallback): Promise<ApiCallError> {
  return apiErrorOf(response.status, await response.json().catch(() => null), fallback);
}

/** A JSON call: the answer's body (null for 204 No Content), or an ApiCallError. */
export async function callApi<T>(url: string, options: ApiCallOptions = {}): Promise<T> {
  const response = await send(url, options);
  if (!response.ok) throw await failure(response, options.fallbackMessage);
  if (response.status === 204) return null as T;
  return (await response.json().catch(() => null)) as T;
}

/** A download (model weights and files): the answer's bytes, or an ApiCallError. */
export async function downloadBytes(url: string, options: Pick<ApiCallOptions, "fallbackMessage"> = {}): Promise<ArrayBuffer> {
  const response = await send(url, {});
  if (!response.ok) throw await failure(response, options.fallbackMessage);
  return response.arrayBuffer();
}

/** A download of a JSON file; unlike callApi, a body that is not JSON is an error (a corrupt file). */
export async function downloadJson(url: string, options: Pick<ApiCallOptions, "fallbackMessage"> = {}): Promise<unknown> {
  const response = await send(url, {});
  if (!response.ok) throw await failure(response, options.fallbackMessage);
  return response.json();
}

/**
 * A file sent as the raw body with upload progress (fetch reports none, so XMLHttpRequest):
 * the answer's JSON body, or an ApiCallError.
 */
export function uploadFile<T>(
  url: string,
  options: { file: Blob; contentType: string; onProgress?: (sent: number, total: number) => void; onUploaded?: () => void; fallbackMessage?: Fallback },
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("content-type", options.contentType);
    xhr.upload.onprogress = (e) => options.onProgress?.(e.loaded, e.lengthComputable ? e.total : options.file.size);
    xhr.upload.onload = () => options.onUploaded?.();
    xhr.onerror = () => reject(unreachable(new Error("network error")));
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300 && body !== null) resolve(body as T);
      else reject(apiErrorOf(xhr.status, body, options.fallbackMessage));
    };
    xhr.send(options.file);
  });
}
