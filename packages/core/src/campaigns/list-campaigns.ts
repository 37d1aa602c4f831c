import { requireActor, type Actor } from "../access/actor.ts";
import { listCampaignRows } from "../store/campaigns.ts";
import { emptyProgress, loadCampaignProgress } from "./campaign-progress.ts";
import { toCampaignView, type CampaignView } from "./campaign-view.ts";

/** Admins and researchers see every campaign; annotators see active or paused campaigns they belong to. */
export async function listCampaigns(options: { actor: Actor | null }): Promise<CampaignView[]> {
  const actor = requireActor(options.actor);
  const campaigns = await listCampaignRows(actor.role === "annotator" ? { memberId: actor.userId } : {});
  const progress = await loadCampaignProgress(
    campaigns.map((c) => c.id),
    actor.role === "annotator" ? actor.userId : undefined,
  );
  return campaigns.map((c) => toCampaignView(c, progress.get(c.id) ?? emptyProgress, actor));
}
