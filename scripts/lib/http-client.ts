/** The HTTP client of the scripts, benchmarks and HTTP tests: one call to a running app's API. */

export interface HttpResult<T = unknown> {
  status: number;
  headers: Headers;
  data: T;
  text: string;
}

export interface HttpInit {
  method?: string;
  token?: string;
  cookie?: string;
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** One HTTP call; a JSON body is parsed when there is one, else `data` is the text (or null). */
export async function http<T = unknown>(baseUrl: string, path: string, init: HttpInit = {}): Promise<HttpResult<T>> {
  const isRaw = typeof init.body === "string" || init.body instanceof Uint8Array;
  const response = await fetch(`${baseUrl}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: {
      ...(init.body !== undefined && !isRaw ? { "content-type": "application/json" } : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.cookie ? { cookie: init.cookie } : {}),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : isRaw ? (init.body as string | Uint8Array<ArrayBuffer>) : JSON.stringify(init.body),
    signal: AbortSignal.timeout(init.timeoutMs ?? 60_000),
    redirect: "manual",
  });
  const text = await response.text();
  let data: unknown = text === "" ? null : text;
  if (text && (response.headers.get("content-type") ?? "").includes("json")) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  return { status: response.status, headers: response.headers, data: data as T, text };
}

/** Throws with the answer when the status is not the one expected. */
export function expectStatus<T>(result: HttpResult<T>, status: number, what: string): T {
  if (result.status !== status) throw new Error(`${what}: expected ${status}, got ${result.status}: ${result.text.slice(0, 500)}`);
  return result.data;
}
