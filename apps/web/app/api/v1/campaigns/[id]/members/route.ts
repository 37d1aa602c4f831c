import { addCampaignMember, listCampaignMembers } from "@arbiter/core";
import { apiRoute, readJson } from "@/lib/api";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async ({ actor, params }) => listCampaignMembers({ actor, campaignId: params.id ?? "" }));
export const POST = apiRoute(async ({ actor, params, request }) => addCampaignMember({ actor, campaignId: params.id ?? "", input: await readJson(request) }), {
  status: 201,
});
