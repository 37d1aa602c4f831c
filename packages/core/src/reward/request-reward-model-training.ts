import { requireActor, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import { AppError } from "../errors.ts";
import type { RewardModelVersionView } from "./reward-model-version-view.ts";
import { trainCampaignRewardModel } from "./train-campaign-reward-model.ts";

/**
 * An admin trains a new version now, whatever the retraining policy says (e.g. after changing
 * the campaign, or to see the accuracy at once). Runs in the request: a few seconds at most for
 * the 20,000 newest judgments a run reads.
 */
export async function requestRewardModelTraining(options: { actor: Actor | null; campaignId: string }): Promise<RewardModelVersionView> {
  const actor = requireActor(options.actor);
  const campaign = await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "manage" });
  const outcome = await trainCampaignRewardModel({ campaignId: campaign.id, force: true });
  if (outcome.kind === "skipped") throw new AppError("conflict", `No reward model was trained: ${outcome.reason}.`);
  return outcome.version;
}
