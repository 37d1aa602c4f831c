import { getMyProgress } from "@arbiter/core";
import { apiRoute } from "@/lib/api";

export const dynamic = "force-dynamic";

/** The caller's own progress in a campaign they annotate: judged, their share, time left (annotation/my-progress.ts). */
export const GET = apiRoute(async ({ actor, params }) => getMyProgress({ actor, campaignId: params.id ?? "" }));
