import { setMemberStatus } from "@arbiter/core";
import { apiRoute, readJson } from "@/lib/api";

export const dynamic = "force-dynamic";

export const POST = apiRoute(async ({ actor, params, request }) =>
  setMemberStatus({ actor, campaignId: params.id ?? "", userId: params.userId ?? "", input: await readJson(request) }),
);
