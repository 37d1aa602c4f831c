import { AppError, getCampaignSeries, toCsv } from "@arbiter/core";
import { apiRoute } from "@/lib/api";

export const dynamic = "force-dynamic";

const columns = {
  progress: ["t", "human", "judge", "humanTotal", "judgeTotal", "itemsCompleted", "itemsCompletedTotal"],
  throughput: ["t", "annotatorId", "judgments"],
} as const;

/** `?format=csv` needs `series=progress|throughput` (one table per file). */
export const GET = apiRoute(async ({ actor, params, request }) => {
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const result = await getCampaignSeries({ actor, campaignId: params.id ?? "", query });
  const { series, format } = result.query;
  if (format === "json")
    return series ? { bucket: result.bucket, [series]: result[series] } : { bucket: result.bucket, progress: result.progress, throughput: result.throughput };
  if (!series)
    throw new AppError("unprocessable", "format=csv needs series=progress or series=throughput.", {
      details: [{ path: "series", message: "required with format=csv" }],
    });
  return new Response(toCsv(result[series] as unknown as Array<Record<string, unknown>>, columns[series]), {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${series}-${result.bucket}.csv"` },
  });
});
