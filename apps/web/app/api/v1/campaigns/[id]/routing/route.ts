import { getRoutingDashboard, updateRoutingSettings } from "@arbiter/core";
import { apiRoute, readJson } from "@/lib/api";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async ({ actor, params }) => getRoutingDashboard({ actor, campaignId: params.id ?? "" }));
export const PUT = apiRoute(async ({ actor, params, request }) =>
  updateRoutingSettings({ actor, campaignId: params.id ?? "", input: await readJson(request) }),
);
