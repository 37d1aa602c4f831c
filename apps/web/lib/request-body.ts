import { AppError } from "@arbiter/core";

/** Every route's body limit unless it sets its own (item imports do). */
export const MAX_BODY_BYTES = 1_000_000;

export function bodyTooLarge(maxBytes: number): AppError {
  // `connection: close`: the server stops reading the rest of a refused body instead of draining it.
  return new AppError("payload_too_large", `Request body over ${maxBytes} bytes.`, { headers: { connection: "close" } });
}

/** Refuses a body whose declared Content-Length is over the limit, before any of it is read. */
export function assertDeclaredLengthWithin(request: Request, maxBytes: number): void {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > maxBytes) throw bodyTooLarge(maxBytes);
}

/**
 * The body's bytes, read as a stream and refused (413) as soon as they pass `maxBytes` — a
 * chunked body without a length is never held beyond the limit. Reading stops there; the rest
 * is never read.
 */
export async function readBodyWithin(request: Request, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  assertDeclaredLengthWithin(request, maxBytes);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      reader.releaseLock();
      throw bodyTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** A request body's text as JSON: an empty body is `{}`; malformed JSON is the client's mistake (400). */
export function parseJsonText(text: string): unknown {
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "The request body is not valid JSON.");
  }
}
