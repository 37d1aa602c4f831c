import { requestRewardModelTraining } from "@arbiter/core";
import { apiRoute } from "@/lib/api";

export const dynamic = "force-dynamic";

/** Admins: train a new version now, whatever the retraining policy says. */
export const POST = apiRoute(async ({ actor, params }) => requestRewardModelTraining({ actor, campaignId: params.id ?? "" }), { status: 201 });
