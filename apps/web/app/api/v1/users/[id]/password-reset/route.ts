import { getConfig } from "@arbiter/config";
import { createPasswordReset } from "@arbiter/core";
import { apiRoute, readJson } from "@/lib/api";

export const dynamic = "force-dynamic";

export const POST = apiRoute(
  async ({ actor, params, request }) => createPasswordReset({ actor, userId: params.id ?? "", input: await readJson(request), baseUrl: getConfig().baseUrl }),
  { status: 201 },
);
