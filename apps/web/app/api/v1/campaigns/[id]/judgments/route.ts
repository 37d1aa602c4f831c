import { listJudgments } from "@arbiter/core";
import { apiRoute } from "@/lib/api";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async ({ actor, params, request }) => {
  const query = Object.fromEntries(new URL(request.url).searchParams);
  return listJudgments({ actor, campaignId: params.id ?? "", query });
});
