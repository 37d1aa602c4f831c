import type { RawDb } from "@arbiter/db";
import type { CampaignConfig } from "../campaigns/campaign-config.ts";
import { writeAudit } from "../audit/write-audit.ts";

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
export async function applyGoldPausePolicy(tx: RawDb, options: { campaignId: string; userId: string; isGold: boolean; config: Pick<CampaignConfig, "goldPauseThreshold" | "goldPauseMinJudgments"> }): Promise<boolean> {
  const threshold = options.config.goldPauseThreshold;
  if (!options.isGold || threshold === null || threshold === undefined) return false;
  const minJudgments = options.config.goldPauseMinJudgments ?? 5;
  const { campaignId, userId } = options;
  const [tally] = await tx.$queryRaw<Array<{ memberStatus: string | null; total: number; correct: number }>>`
    WITH resumed AS (
      SELECT max(created_at) AS at FROM audit_log WHERE campaign_id = ${campaignId}::uuid AND action = ${memberResumedAction} AND target_id = ${userId}
    )
    SELECT (SELECT status::text FROM campaign_members WHERE campaign_id = ${campaignId}::uuid AND user_id = ${userId}) AS "memberStatus",
           count(j.id)::int AS total, count(j.id) FILTER (WHERE j.gold_correct)::int AS correct
    FROM resumed LEFT JOIN judgments j
      ON j.campaign_id = ${campaignId}::uuid AND j.user_id = ${userId} AND j.source = 'human' AND j.is_gold AND j.gold_correct IS NOT NULL
         AND (resumed.at IS NULL OR j.created_at > resumed.at)`;
  if (tally?.memberStatus !== "active") return false;
  const { total, correct } = tally;
  if (total < minJudgments || correct / total >= threshold) return false;

  const accuracy = correct / total;
  const pauseReason = `gold accuracy ${(100 * accuracy).toFixed(0)} % (${correct} of ${total}) is below the campaign's ${(100 * threshold).toFixed(0)} %`;
  await tx.$executeRaw`UPDATE campaign_members SET status = 'paused', pause_reason = ${pauseReason} WHERE campaign_id = ${campaignId}::uuid AND user_id = ${userId}`;
  await tx.$executeRaw`UPDATE assignments SET status = 'expired' WHERE campaign_id = ${campaignId}::uuid AND user_id = ${userId} AND status = 'leased'`;
  await writeAudit(tx, { actorId: null, action: memberAutoPausedAction, targetType: "user", targetId: userId, campaignId, data: { correct, total, threshold } });
  return true;
}
