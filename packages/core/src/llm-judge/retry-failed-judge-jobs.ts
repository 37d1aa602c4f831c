import { getPrisma } from "@arbiter/db";
import { requireRole, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import { JUDGE_QUEUE } from "./judge-job-handler.ts";

/**
 * Puts a campaign's failed judge jobs back in the queue with three more attempts (admins), e.g.
 * after fixing the key or the endpoint. Attempt counts keep rising, so leases stay fenced.
 */
export async function retryFailedJudgeJobs(options: { actor: Actor | null; campaignId: string }): Promise<{ requeued: number }> {
  const actor = requireRole(options.actor, "admin");
  const campaign = await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "manage" });
  const requeued = await getPrisma().$executeRaw`
    UPDATE jobs SET status = 'queued', max_attempts = attempts + 3, run_at = now(), finished_at = NULL
    WHERE queue = ${JUDGE_QUEUE} AND status = 'failed' AND payload->>'campaignId' = ${campaign.id}`;
  return { requeued };
}
