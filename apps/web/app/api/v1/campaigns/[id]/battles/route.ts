import { startBattle } from "@arbiter/core";
import { apiRoute, readJson } from "@/lib/api";

export const dynamic = "force-dynamic";

export const POST = apiRoute(async ({ actor, params, request }) => startBattle({ actor, campaignId: params.id ?? "", input: await readJson(request) }), {
  status: 201,
});
