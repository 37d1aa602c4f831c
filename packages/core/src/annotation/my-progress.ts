import { requireActor, type Actor } from "../access/actor.ts";
import { assertCampaignAnnotatable } from "../access/campaign-access.ts";
import { AppError } from "../errors.ts";
import type { CampaignConfig } from "../campaign-config/campaign-config.ts";
import { countAnnotatorProgress, type AnnotatorProgressCounts } from "../store/annotator-progress.ts";
import { db } from "../store/transaction.ts";

/**
 * An annotator's own progress in a campaign: "23 of your 150 · about 40 min left".
 * - `judged`: their judgments in the campaign (gold checks included, which they cannot tell apart).
 * - `share`: `judged` plus what is left for them. Their regular part is the human verdicts the
 *   campaign wants (regular items × overlap, or each item's own target) split evenly over its
 *   active members, at most one per item; their gold part is what the gold rate adds to it
 *   (`regular × goldRate / (1 − goldRate)`, at most the gold items). What is left never counts
 *   more than the items still open to them (not complete, not judged or skipped by them), so the
 *   share follows the campaign: it shrinks when others take the last items, and reaches `judged`
 *   when nothing is left.
 * - `medianSeconds`: the median active time of their judgments here; `secondsLeft` = left × median.
 */
export interface MyProgress {
  judged: number;
  share: number;
  left: number;
  medianSeconds: number | null;
  secondsLeft: number | null;
}

export function computeMyProgress(counts: AnnotatorProgressCounts, goldRate: number): MyProgress {
  const members = Math.max(1, counts.activeMembers);
  const regularShare = Math.min(counts.humanItems, Math.ceil(counts.humanSlots / members));
  const goldShare =
    counts.goldItems === 0 || goldRate <= 0
      ? 0
      : goldRate >= 1
        ? counts.goldItems
        : Math.min(counts.goldItems, Math.round((regularShare * goldRate) / (1 - goldRate)));
  const judgedRegular = counts.judged - counts.judgedGold;
  const regularLeft = Math.min(Math.max(0, regularShare - judgedRegular), counts.openForMe);
  const goldLeft = Math.min(Math.max(0, goldShare - counts.judgedGold), counts.goldOpenForMe);
  const left = regularLeft + goldLeft;
  const medianSeconds = counts.medianMs === null ? null : counts.medianMs / 1000;
  return {
    judged: counts.judged,
    share: counts.judged + left,
    left,
    medianSeconds,
    secondsLeft: medianSeconds === null ? null : Math.round(left * medianSeconds),
  };
}

export async function getMyProgress(options: { actor: Actor | null; campaignId: string }): Promise<MyProgress> {
  const actor = requireActor(options.actor);
  const campaign = await assertCampaignAnnotatable(db(), actor, options.campaignId);
  const counts = await countAnnotatorProgress(campaign.id, actor.userId);
  if (!counts) throw new AppError("not_found", "Campaign not found.");
  return computeMyProgress(counts, (campaign.config as CampaignConfig).goldRate ?? 0);
}
