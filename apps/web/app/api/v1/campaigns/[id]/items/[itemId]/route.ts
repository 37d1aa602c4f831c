import { getItemJudgments } from "@arbiter/core";
import { apiRoute } from "@/lib/api";

export const dynamic = "force-dynamic";

/** One item with every judgment of it, as the researcher's item page shows it (admin, researcher). */
export const GET = apiRoute(async ({ actor, params }) => getItemJudgments({ actor, campaignId: params.id ?? "", itemId: params.itemId ?? "" }));
