import type { CampaignConfig } from "../campaign-config/campaign-config.ts";
import { writeAudit } from "../audit/write-audit.ts";
import { expireMemberLeases, pauseMember, tallyGoldSinceResume } from "../store/quality.ts";
import type { Tx } from "../store/transaction.ts";

/** The audit action an admin's resume writes; the policy counts gold judgments after the latest one. */
export const memberResumedAction = "campaign.member.resume";
export const memberAutoPausedAction = "campaign.member.auto_pause";

/**
 * After a gold judgment, in the judgment's transaction: when the campaign sets
 * `goldPauseThreshold` and the annotator has at least `goldPauseMinJudgments` gold judgments
 * whose accuracy is below it, their membership is paused (the assignment engine then hands
 * them nothing, and their open leases are released to others). Only gold judgments made since
 * an admin last resumed them count, so a resume gives a fresh window instead of an instant
 * re-pause. Returns whether the member was paused.
 */
export async function applyGoldPausePolicy(
  tx: Tx,
  options: { campaignId: string; userId: string; isGold: boolean; config: Pick<CampaignConfig, "goldPauseThreshold" | "goldPauseMinJudgments"> },
): Promise<boolean> {
  const threshold = options.config.goldPauseThreshold;
  if (!options.isGold || threshold === null || threshold === undefined) return false;
  const minJudgments = options.config.goldPauseMinJudgments ?? 5;
  const { campaignId, userId } = options;
  const tally = await tallyGoldSinceResume(tx, { campaignId, userId, resumedAction: memberResumedAction });
  if (tally?.memberStatus !== "active") return false;
  const { total, correct } = tally;
  if (total < minJudgments || correct / total >= threshold) return false;

  const accuracy = correct / total;
  const pauseReason = `gold accuracy ${(100 * accuracy).toFixed(0)} % (${correct} of ${total}) is below the campaign's ${(100 * threshold).toFixed(0)} %`;
  await pauseMember(tx, campaignId, userId, pauseReason);
  await expireMemberLeases(tx, campaignId, userId);
  await writeAudit(tx, {
    actorId: null,
    action: memberAutoPausedAction,
    targetType: "user",
    targetId: userId,
    campaignId,
    data: { correct, total, threshold },
  });
  return true;
}
