import { getRewardModelInfo } from "@arbiter/core";
import { apiRoute } from "@/lib/api";

export const dynamic = "force-dynamic";

/** The campaign's reward model: latest version, accuracy, votes, and how the page picks a backend. */
export const GET = apiRoute(async ({ actor, params }) => getRewardModelInfo({ actor, campaignId: params.id ?? "" }));
