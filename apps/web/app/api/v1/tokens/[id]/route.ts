import { revokeApiToken } from "@arbiter/core";
import { apiRoute } from "@/lib/api";

export const dynamic = "force-dynamic";

/** Revoke: the caller's own token, or anyone's for admins. */
export const DELETE = apiRoute(async ({ actor, params }) => revokeApiToken({ actor, tokenId: params.id ?? "" }));
