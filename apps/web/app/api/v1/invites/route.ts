import { getConfig } from "@arbiter/config";
import { createInvite } from "@arbiter/core";
import { apiRoute, readJson } from "@/lib/api";

export const dynamic = "force-dynamic";

export const POST = apiRoute(async ({ actor, request }) => createInvite({ actor, input: await readJson(request), baseUrl: getConfig().baseUrl }), {
  status: 201,
});
