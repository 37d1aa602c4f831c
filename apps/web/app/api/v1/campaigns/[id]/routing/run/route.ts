import { requestRoutingPass } from "@arbiter/core";
import { apiRoute } from "@/lib/api";

export const dynamic = "force-dynamic";

export const POST = apiRoute(async ({ actor, params }) => requestRoutingPass({ actor, campaignId: params.id ?? "" }), { status: 202 });
