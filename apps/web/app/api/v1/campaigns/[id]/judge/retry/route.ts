import { retryFailedJudgeJobs } from "@arbiter/core";
import { apiRoute } from "@/lib/api";

export const dynamic = "force-dynamic";

export const POST = apiRoute(async ({ actor, params }) => retryFailedJudgeJobs({ actor, campaignId: params.id ?? "" }));
