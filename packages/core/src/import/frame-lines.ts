/** One physical line: its bytes (without the line break), or only its length when over the limit. */
export type PhysicalLine = { line: number; bytes: Uint8Array; size: number } | { line: number; bytes?: undefined; size: number };

function concat(parts: Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/**
 * Splits bytes into lines numbered from 1. A trailing `\r` is dropped (CRLF files). A line longer
 * than `maxLineBytes` is never held: its bytes are dropped as they arrive and only its size is
 * reported. A final line without a line break counts; an empty one after the last break does not.
 */
export async function* frameLines(chunks: AsyncIterable<Uint8Array>, maxLineBytes: number): AsyncGenerator<PhysicalLine> {
  let parts: Uint8Array[] = [];
  let size = 0;
  let line = 1;
  let sawBytes = false;

  const take = (part: Uint8Array) => {
    size += part.byteLength;
    if (size > maxLineBytes) parts = [];
    else if (part.byteLength > 0) parts.push(part);
  };
  const finish = (): PhysicalLine => {
    let result: PhysicalLine;
    if (size > maxLineBytes) result = { line, size };
    else {
      let bytes = concat(parts, size);
      if (bytes.byteLength > 0 && bytes[bytes.byteLength - 1] === 0x0d) bytes = bytes.subarray(0, bytes.byteLength - 1);
      result = { line, bytes, size };
    }
    parts = [];
    size = 0;
    line++;
    return result;
  };

  for await (const chunk of chunks) {
    sawBytes = true;
    let start = 0;
    for (;;) {
      const end = chunk.indexOf(0x0a, start);
      if (end < 0) {
        take(chunk.subarray(start));
        break;
      }
      take(chunk.subarray(start, end));
      yield finish();
      start = end + 1;
    }
  }
  if (sawBytes && size > 0) yield finish();
}

/** "8 MiB", "512 KiB", "17 bytes": sizes in messages people read. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MiB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KiB`;
  return `${bytes} bytes`;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Decodes UTF-8 strictly; undefined when the bytes are not valid UTF-8. A leading BOM is dropped. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}
