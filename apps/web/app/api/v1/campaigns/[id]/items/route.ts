import { AppError, importItems, MAX_IMPORT_BYTES } from "@arbiter/core";
import { apiRoute } from "@/lib/api";

export const dynamic = "force-dynamic";
export const maxDuration = 1800;

/** JSONL (application/x-ndjson), a JSON array, CSV or gzip of those, parsed as a stream; or Parquet (application/vnd.apache.parquet), read by row group. */
export const POST = apiRoute(
  async ({ actor, params, request }) => {
    if (!request.body)
      throw new AppError("unprocessable", "The request has no body: send the items file.", { details: [{ line: 1, message: "file is empty" }] });
    const query = Object.fromEntries(new URL(request.url).searchParams);
    const body = request.body as unknown as AsyncIterable<Uint8Array>;
    return importItems({ actor, campaignId: params.id ?? "", query, source: body, contentType: request.headers.get("content-type") });
  },
  { maxBodyBytes: MAX_IMPORT_BYTES },
);
