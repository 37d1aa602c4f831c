import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";

/** Raised when a gzip body is corrupt or cut short; the importer reports it as a line error. */
export class GzipError extends Error {}

/** Raised when a gzip body inflates past the limit (a gzip bomb); the import is refused as too large. */
export class InflatedTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the gzip data inflates to more than ${limit} bytes`);
  }
}

const textEncoder = new TextEncoder();

/** Bytes from a body given as bytes, strings or a mix; empty chunks are dropped. */
export async function* toByteChunks(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    const bytes = typeof chunk === "string" ? textEncoder.encode(chunk) : chunk;
    if (bytes.byteLength > 0) yield bytes;
  }
}

/**
 * The body with its first bytes looked at: `gunzipIfCompressed` and the format sniffing both need
 * to see the start without losing it. `head` holds what was read; `chunks` yields everything.
 */
export async function readHead(
  source: AsyncIterable<Uint8Array>,
  enough: (head: Uint8Array[]) => boolean,
): Promise<{ head: Uint8Array[]; chunks: AsyncGenerator<Uint8Array> }> {
  const iterator = source[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let done = false;
  while (!enough(head)) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    head.push(next.value);
  }
  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      yield* head;
      while (!done) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      if (!done) await iterator.return?.();
    }
  }
  return { head, chunks: chunks() };
}

function byteAt(chunks: Uint8Array[], index: number): number | undefined {
  let offset = index;
  for (const chunk of chunks) {
    if (offset < chunk.byteLength) return chunk[offset];
    offset -= chunk.byteLength;
  }
  return undefined;
}

const totalBytes = (chunks: Uint8Array[]) => chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);

async function* gunzip(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const input = Readable.from(chunks, { objectMode: false });
  const inflater = createGunzip();
  let sourceError: unknown;
  input.on("error", (error) => {
    sourceError = error;
    inflater.destroy(error);
  });
  input.pipe(inflater);
  try {
    for await (const chunk of inflater) yield chunk as Buffer;
  } catch (error) {
    if (sourceError !== undefined) throw sourceError;
    throw new GzipError(`the gzip data is corrupt or cut short (${(error as Error).message})`);
  } finally {
    input.destroy();
    inflater.destroy();
  }
}

/**
 * Gunzips the body as a stream when it starts with the gzip magic bytes (1f 8b); passes it
 * through otherwise. The inflated bytes are counted: past `maxInflatedBytes` reading stops with
 * InflatedTooLargeError (a few kilobytes can inflate to gigabytes).
 */
export async function* gunzipIfCompressed(source: AsyncIterable<Uint8Array>, maxInflatedBytes = Number.POSITIVE_INFINITY): AsyncGenerator<Uint8Array> {
  const { head, chunks } = await readHead(source, (read) => totalBytes(read) >= 2);
  if (!(byteAt(head, 0) === 0x1f && byteAt(head, 1) === 0x8b)) {
    yield* chunks;
    return;
  }
  let inflated = 0;
  for await (const chunk of gunzip(chunks)) {
    inflated += chunk.byteLength;
    if (inflated > maxInflatedBytes) throw new InflatedTooLargeError(maxInflatedBytes);
    yield chunk;
  }
}

const isJsonWhitespace = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/**
 * The first byte that is neither whitespace nor part of a UTF-8 byte order mark; `empty` when the
 * body holds nothing else. Looks at most `limit` bytes (then `first` is undefined, `empty` false).
 * The returned `chunks` still yield the whole body.
 */
export async function sniffFirstByte(
  source: AsyncIterable<Uint8Array>,
  limit = 1024 * 1024,
): Promise<{ first: number | undefined; empty: boolean; chunks: AsyncGenerator<Uint8Array> }> {
  let first: number | undefined;
  let scanned = 0;
  let position = 0;
  const { head, chunks } = await readHead(source, (head) => {
    if (position >= limit) return true;
    for (; scanned < head.length; scanned++) {
      const chunk = head[scanned]!;
      for (let i = 0; i < chunk.byteLength; i++, position++) {
        const byte = chunk[i]!;
        const isBom = position < 3 && (byte === 0xef || byte === 0xbb || byte === 0xbf);
        if (!isJsonWhitespace(byte) && !isBom) {
          first = byte;
          return true;
        }
      }
    }
    return false;
  });
  return { first, empty: first === undefined && totalBytes(head) < limit, chunks };
}
