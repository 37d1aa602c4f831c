import { NextResponse } from "next/server";
import { deleteCampaignSecret, putCampaignSecret } from "@arbiter/core";
import { apiRoute, readJson } from "@/lib/api";

export const dynamic = "force-dynamic";

// The value goes in, never out: the answer names the secret only.
export const PUT = apiRoute(async ({ actor, params, request }) => {
  const { replaced, ...secret } = await putCampaignSecret({
    actor,
    campaignId: params.id ?? "",
    name: params.name ?? "",
    input: await readJson(request, 64_000),
  });
  return NextResponse.json(secret, { status: replaced ? 200 : 201 });
});
export const DELETE = apiRoute(async ({ actor, params }) => deleteCampaignSecret({ actor, campaignId: params.id ?? "", name: params.name ?? "" }));
