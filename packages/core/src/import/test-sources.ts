import { parseItemStream, type ParseItemStreamOptions } from "./parse-item-stream.ts";
import type { LineError, NormalizedItem, ParsedItem } from "./types.ts";

/** A body delivered in pieces of at most `size` bytes, to exercise every chunk boundary. */
export async function* chunked(body: Uint8Array | string, size = 7): AsyncGenerator<Uint8Array> {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  for (let offset = 0; offset < bytes.byteLength; offset += size) yield bytes.subarray(offset, offset + size);
}

export async function* whole(...parts: (Uint8Array | string)[]): AsyncGenerator<Uint8Array | string> {
  yield* parts;
}

export interface Parsed {
  items: NormalizedItem[];
  parsed: ParsedItem[];
  errors: readonly LineError[];
  format: string | undefined;
  batches: number;
}

/** Reads a whole body (tests only: real callers never hold every item). */
export async function parseAll(
  body: Uint8Array | string | AsyncIterable<Uint8Array | string>,
  options: Omit<ParseItemStreamOptions, "source"> = {},
): Promise<Parsed> {
  const source = typeof body === "string" || body instanceof Uint8Array ? chunked(body) : body;
  const stream = parseItemStream({ ...options, source });
  const parsed: ParsedItem[] = [];
  let batches = 0;
  for await (const batch of stream) {
    batches++;
    parsed.push(...batch);
  }
  return { items: parsed.map((p) => p.item), parsed, errors: stream.errors, format: stream.format, batches };
}

export const jsonl = (...records: unknown[]) => records.map((record) => JSON.stringify(record)).join("\n") + "\n";
