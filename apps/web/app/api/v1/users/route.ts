import { getConfig } from "@arbiter/config";
import { createUser, listUsers } from "@arbiter/core";
import { apiRoute, readJson } from "@/lib/api";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async ({ actor }) => listUsers({ actor }));
export const POST = apiRoute(async ({ actor, request }) => createUser({ actor, input: await readJson(request), baseUrl: getConfig().baseUrl }), {
  status: 201,
});
