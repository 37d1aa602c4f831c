import { Zip, ZipDeflate, ZipPassThrough } from "fflate";

export interface ZipEntry {
  name: string;
  /** Called when the entry's turn comes, so a later entry can describe what an earlier one held. */
  content: () => AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;
  /** `store` for data that is already compressed (Parquet); default `deflate`. */
  method?: "deflate" | "store";
}

/**
 * A ZIP archive, streamed: each entry is compressed as its content arrives (sizes and CRCs go in
 * data descriptors), so memory holds one chunk at a time. Classic ZIP, not ZIP64: entries and
 * the archive must stay under 4 GiB.
 */
export async function* zipEntries(entries: Iterable<ZipEntry>, options: { mtime?: Date } = {}): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else out.push(chunk);
  });
  const drain = function* () {
    if (failure) throw failure;
    yield* out.splice(0);
  };
  const encoder = new TextEncoder();
  const mtime = options.mtime ?? new Date();
  for (const entry of entries) {
    const file = entry.method === "store" ? new ZipPassThrough(entry.name) : new ZipDeflate(entry.name, { level: 6 });
    file.mtime = mtime;
    zip.add(file);
    for await (const chunk of entry.content()) {
      file.push(typeof chunk === "string" ? encoder.encode(chunk) : chunk, false);
      yield* drain();
    }
    file.push(new Uint8Array(0), true);
    yield* drain();
  }
  zip.end();
  yield* drain();
}
