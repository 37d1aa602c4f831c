import { tryCampaignJudge } from "@arbiter/core";
import { apiRoute, readJson } from "@/lib/api";

export const dynamic = "force-dynamic";
// Five items judged in both orders with one retry each can take a while on a slow endpoint.
export const maxDuration = 300;

export const POST = apiRoute(async ({ actor, params, request }) => tryCampaignJudge({ actor, campaignId: params.id ?? "", input: await readJson(request) }));
