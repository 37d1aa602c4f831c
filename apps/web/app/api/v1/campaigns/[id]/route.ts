import { getCampaign, updateCampaign } from "@arbiter/core";
import { apiRoute, readJson } from "@/lib/api";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async ({ actor, params }) => getCampaign({ actor, campaignId: params.id ?? "" }));
export const PATCH = apiRoute(async ({ actor, params, request }) => updateCampaign({ actor, campaignId: params.id ?? "", input: await readJson(request) }));
