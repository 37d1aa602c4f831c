import { requireRole, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import { AppError } from "../errors.ts";
import { enqueueRoutingPass } from "../jobs/routing-pass-queue.ts";
import { db } from "../store/transaction.ts";

/** "Re-route now" (admins): queues a routing pass for an active campaign; one already waiting is reused. */
export async function requestRoutingPass(options: { actor: Actor | null; campaignId: string }): Promise<{ queued: boolean }> {
  const actor = requireRole(options.actor, "admin");
  const campaign = await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "manage" });
  if (campaign.status !== "active") throw new AppError("conflict", `This campaign is ${campaign.status}; routing runs while it is active.`);
  const created = await enqueueRoutingPass(db(), { campaignId: campaign.id });
  return { queued: created };
}
