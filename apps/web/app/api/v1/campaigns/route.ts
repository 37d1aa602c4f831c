import { createCampaign, listCampaigns } from "@arbiter/core";
import { apiRoute, readJson } from "@/lib/api";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async ({ actor }) => listCampaigns({ actor }));
export const POST = apiRoute(async ({ actor, request }) => createCampaign({ actor, input: await readJson(request) }), { status: 201 });
