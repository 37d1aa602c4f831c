import { requireRole, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import { requeueFailedJudgeJobs } from "../store/judge.ts";

/**
 * Puts a campaign's failed judge jobs back in the queue with three more attempts (admins), e.g.
 * after fixing the key or the endpoint. Attempt counts keep rising, so leases stay fenced.
 */
export async function retryFailedJudgeJobs(options: { actor: Actor | null; campaignId: string }): Promise<{ requeued: number }> {
  const actor = requireRole(options.actor, "admin");
  const campaign = await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "manage" });
  const requeued = await requeueFailedJudgeJobs(campaign.id);
  return { requeued };
}
