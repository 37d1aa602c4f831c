import { requireActor, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import { emptyProgress, loadCampaignProgress } from "./campaign-progress.ts";
import { toCampaignView, type CampaignView } from "./campaign-view.ts";

export async function getCampaign(options: { actor: Actor | null; campaignId: string }): Promise<CampaignView> {
  const actor = requireActor(options.actor);
  const campaign = await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "read" });
  const progress = await loadCampaignProgress([campaign.id], actor.role === "annotator" ? actor.userId : undefined);
  return toCampaignView(campaign, progress.get(campaign.id) ?? emptyProgress, actor);
}
