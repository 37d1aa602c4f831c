/** JSON calls from builder and research components; errors keep the API's code, message and details. */
export class ApiCallError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details: Array<Record<string, unknown>> = []) {
    super(message);
  }
}

export async function callApi<T>(url: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: init.body === undefined ? {} : { "content-type": "application/json" },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const error = data?.error ?? {};
    throw new ApiCallError(response.status, error.code ?? "error", error.message ?? `Request failed (${response.status})`, Array.isArray(error.details) ? error.details : []);
  }
  return data as T;
}
