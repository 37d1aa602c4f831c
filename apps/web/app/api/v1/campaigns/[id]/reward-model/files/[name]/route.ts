import { getPretrainedRewardModelFile } from "@arbiter/core";
import { apiRoute } from "@/lib/api";

export const dynamic = "force-dynamic";

/** A file of the campaign's pretrained ONNX reward model folder (model.onnx, tokenizer.json, config.json, tokenizer_config.json), streamed. */
export const GET = apiRoute(async ({ actor, params, request }) => {
  const result = await getPretrainedRewardModelFile({
    actor,
    campaignId: params.id ?? "",
    name: params.name ?? "",
    ifNoneMatch: request.headers.get("if-none-match"),
  });
  const headers: Record<string, string> = { etag: result.etag, "cache-control": "private, no-cache" };
  if (result.status === 304) return new Response(null, { status: 304, headers });
  return new Response(result.body, { status: 200, headers: { ...headers, "content-type": result.contentType, "content-length": String(result.size) } });
});
