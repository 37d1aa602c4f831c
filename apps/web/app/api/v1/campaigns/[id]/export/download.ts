/** `Content-Disposition: attachment` with an ASCII name and the RFC 6266 UTF-8 form. */
export function attachment(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/**
 * An async iterator as a response body, pulled only as fast as the client reads (backpressure),
 * and closed (ending the database reads) when the client goes away. A failure after the headers
 * went out aborts the stream, so the client sees a broken download rather than a short file.
 */
export function streamBody(source: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { value, done } = await source.next();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (error) {
          console.error("[arbiter] export failed while streaming", error);
          controller.error(error);
        }
      },
      async cancel() {
        await source.return(undefined);
      },
    },
    { highWaterMark: 4 },
  );
}
