import { getRewardModelWeights } from "@arbiter/core";
import { apiRoute } from "@/lib/api";

export const dynamic = "force-dynamic";

/**
 * The ARM1 weights file. `?version=N` names an immutable version (cached for a year); without
 * it the latest, revalidated each time. Strong ETag, 304 on If-None-Match.
 */
export const GET = apiRoute(async ({ actor, params, request }) => {
  const result = await getRewardModelWeights({
    actor,
    campaignId: params.id ?? "",
    version: new URL(request.url).searchParams.get("version"),
    ifNoneMatch: request.headers.get("if-none-match"),
  });
  const headers: Record<string, string> = {
    etag: result.etag,
    "cache-control": result.immutable ? "private, max-age=31536000, immutable" : "private, no-cache",
    "x-arbiter-reward-model-version": String(result.version),
  };
  if (result.status === 304) return new Response(null, { status: 304, headers });
  return new Response(result.body as Uint8Array<ArrayBuffer>, {
    status: 200,
    headers: { ...headers, "content-type": "application/octet-stream", "content-length": String(result.body.byteLength) },
  });
});
