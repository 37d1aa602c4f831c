const CHUNK_CHARS = 64 * 1024;

/**
 * Rows as JSON Lines, in chunks of about 64 KiB, pulled one row at a time so a whole export is
 * never held. Pipe it into a response or a file.
 */
export async function* writeJsonl(rows: AsyncIterable<object> | Iterable<object>): AsyncGenerator<string> {
  let chunk = "";
  for await (const row of rows) {
    chunk += `${JSON.stringify(row)}\n`;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk.length > 0) yield chunk;
}
