import { setUserStatus } from "@arbiter/core";
import { apiRoute, readJson } from "@/lib/api";

export const dynamic = "force-dynamic";

/** Disable (sessions end, tokens revoked, leases released) or re-enable an account. */
export const POST = apiRoute(async ({ actor, params, request }) => setUserStatus({ actor, userId: params.id ?? "", input: await readJson(request) }));
