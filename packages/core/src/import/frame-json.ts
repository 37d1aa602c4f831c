import { decodeUtf8, formatBytes, frameLines } from "./frame-lines.ts";

/** One JSON record of a file (a JSONL line or a JSON-array element), or why it could not be read. */
export type JsonRecord =
  | { line: number; element?: number; size: number; value: unknown; error?: undefined }
  | { line: number; element?: number; size: number; value?: undefined; error: string };

const tooLong = (size: number, maxBytes: number, what: string) =>
  `${what} is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit (maxLineBytes); it was not read`;

function parseJson(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    const reason = (error as Error).message;
    if (/end of JSON input|Unterminated string/i.test(reason)) return { error: `truncated JSON: ${reason}` };
    return { error: `invalid JSON: ${reason}` };
  }
}

/** JSON Lines: one value per line; blank lines are skipped. */
export async function* jsonLineRecords(chunks: AsyncIterable<Uint8Array>, maxLineBytes: number): AsyncGenerator<JsonRecord> {
  for await (const physical of frameLines(chunks, maxLineBytes)) {
    const { line, size } = physical;
    if (physical.bytes === undefined) {
      yield { line, size, error: tooLong(size, maxLineBytes, "the line") };
      continue;
    }
    const text = decodeUtf8(physical.bytes);
    if (text === undefined) {
      yield { line, size, error: "the line is not valid UTF-8" };
      continue;
    }
    if (text.trim() === "") continue;
    const parsed = parseJson(text);
    yield "error" in parsed ? { line, size, error: parsed.error } : { line, size, value: parsed.value };
  }
}

const enum Byte {
  Newline = 0x0a,
  Quote = 0x22,
  Comma = 0x2c,
  Backslash = 0x5c,
  OpenSquare = 0x5b,
  CloseSquare = 0x5d,
  OpenCurly = 0x7b,
  CloseCurly = 0x7d,
}

const isWhitespace = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
const isBomByte = (byte: number) => byte === 0xef || byte === 0xbb || byte === 0xbf;

/**
 * The elements of a top-level JSON array, one at a time, so a file of any size is never held
 * whole. Only the bytes of the current element are kept (dropped once it passes `maxElementBytes`).
 * Each element is decoded and parsed on its own, so one bad element does not hide the others;
 * its `line` is where it starts and `element` its 0-based index.
 */
export async function* jsonArrayRecords(chunks: AsyncIterable<Uint8Array>, maxElementBytes: number): AsyncGenerator<JsonRecord> {
  let line = 1;
  let opened = false;
  let closed = false;
  let trailingReported = false;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let expectingElement = false;
  let elementCount = 0;
  let active = false;
  let elementLine = 1;
  let parts: Uint8Array[] = [];
  let size = 0;

  const keep = (part: Uint8Array) => {
    size += part.byteLength;
    if (size > maxElementBytes) parts = [];
    else if (part.byteLength > 0) parts.push(part);
  };
  const endElement = (): JsonRecord => {
    const at = { line: elementLine, element: elementCount++, size };
    let record: JsonRecord;
    if (size > maxElementBytes) record = { ...at, error: tooLong(size, maxElementBytes, "the element") };
    else {
      const bytes = new Uint8Array(size);
      let offset = 0;
      for (const part of parts) {
        bytes.set(part, offset);
        offset += part.byteLength;
      }
      const text = decodeUtf8(bytes);
      if (text === undefined) record = { ...at, error: "the element is not valid UTF-8" };
      else {
        const parsed = parseJson(text);
        record = "error" in parsed ? { ...at, error: parsed.error } : { ...at, value: parsed.value };
      }
    }
    active = false;
    parts = [];
    size = 0;
    return record;
  };

  for await (const chunk of chunks) {
    let segmentStart = 0;
    const end = chunk.byteLength;
    let nextQuote = -1;
    let nextBackslash = -1;
    let nextNewline = -1;
    const after = (byte: number, cached: number, from: number) => {
      if (cached >= from) return cached;
      const found = chunk.indexOf(byte, from);
      return found < 0 ? end : found;
    };
    for (let i = 0; i < end; i++) {
      if (inString && !escaped) {
        // Most bytes are string contents: jump to the next byte that matters there.
        nextQuote = after(Byte.Quote, nextQuote, i);
        nextBackslash = after(Byte.Backslash, nextBackslash, i);
        nextNewline = after(Byte.Newline, nextNewline, i);
        i = Math.min(nextQuote, nextBackslash, nextNewline);
        if (i === end) break;
      }
      const byte = chunk[i]!;
      if (byte === Byte.Newline) line++;
      if (active) {
        if (inString) {
          if (escaped) escaped = false;
          else if (byte === Byte.Backslash) escaped = true;
          else if (byte === Byte.Quote) inString = false;
          continue;
        }
        if (byte === Byte.Quote) inString = true;
        else if (byte === Byte.OpenCurly || byte === Byte.OpenSquare) depth++;
        else if (depth === 1 && (byte === Byte.Comma || byte === Byte.CloseSquare)) {
          keep(chunk.subarray(segmentStart, i));
          yield endElement();
          if (byte === Byte.Comma) expectingElement = true;
          else {
            closed = true;
            depth = 0;
          }
        } else if ((byte === Byte.CloseCurly || byte === Byte.CloseSquare) && depth > 1) depth--;
        continue;
      }
      if (isWhitespace(byte)) continue;
      if (closed) {
        if (!trailingReported) {
          trailingReported = true;
          yield { line, size: 0, error: "invalid JSON: unexpected content after the closing ] of the array" };
        }
        continue;
      }
      if (!opened) {
        if (isBomByte(byte)) continue;
        opened = true;
        depth = 1;
        expectingElement = true;
        if (byte !== Byte.OpenSquare) {
          yield { line, size: 0, error: "invalid JSON: expected the file to start with [" };
          closed = true;
          trailingReported = true;
        }
        continue;
      }
      if (byte === Byte.Comma) {
        yield { line, element: elementCount, size: 0, error: "invalid JSON: missing value before a comma" };
        continue;
      }
      if (byte === Byte.CloseSquare) {
        if (expectingElement && elementCount > 0) {
          yield { line, element: elementCount, size: 0, error: "invalid JSON: trailing comma before ]" };
        }
        closed = true;
        depth = 0;
        continue;
      }
      active = true;
      expectingElement = false;
      elementLine = line;
      segmentStart = i;
      i--;
    }
    if (active) keep(chunk.subarray(segmentStart));
  }

  if (!opened || closed) return;
  if (active) {
    yield { line: elementLine, element: elementCount, size, error: "truncated JSON: the file ends before this element is complete" };
  } else {
    yield { line, size: 0, error: "truncated JSON: the file ends before the closing ] of the array" };
  }
}
