import { getBattle } from "@arbiter/core";
import { apiRoute } from "@/lib/api";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async ({ actor, params }) => getBattle({ actor, battleId: params.id ?? "" }));
