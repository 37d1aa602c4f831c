import type { Prisma } from "@arbiter/db";
import type { CampaignConfig } from "../campaigns/campaign-config.ts";
import { writeAudit } from "../audit/write-audit.ts";

type Tx = Prisma.TransactionClient;

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
export async function applyGoldPausePolicy(tx: Tx, options: { campaignId: string; userId: string; isGold: boolean; config: Pick<CampaignConfig, "goldPauseThreshold" | "goldPauseMinJudgments"> }): Promise<boolean> {
  const threshold = options.config.goldPauseThreshold;
  if (!options.isGold || threshold === null || threshold === undefined) return false;
  const minJudgments = options.config.goldPauseMinJudgments ?? 5;
  const member = await tx.campaignMember.findUnique({ where: { campaignId_userId: { campaignId: options.campaignId, userId: options.userId } } });
  if (!member || member.status !== "active") return false;

  const resumed = await tx.auditLog.findFirst({
    where: { campaignId: options.campaignId, action: memberResumedAction, targetId: options.userId },
    orderBy: { createdAt: "desc" },
    select: { createdAt: true },
  });
  const gold = await tx.judgment.groupBy({
    by: ["goldCorrect"],
    where: { campaignId: options.campaignId, userId: options.userId, source: "human", isGold: true, goldCorrect: { not: null }, ...(resumed ? { createdAt: { gt: resumed.createdAt } } : {}) },
    _count: { _all: true },
  });
  const total = gold.reduce((sum, g) => sum + g._count._all, 0);
  const correct = gold.find((g) => g.goldCorrect === true)?._count._all ?? 0;
  if (total < minJudgments || correct / total >= threshold) return false;

  const accuracy = correct / total;
  const pauseReason = `gold accuracy ${(100 * accuracy).toFixed(0)} % (${correct} of ${total}) is below the campaign's ${(100 * threshold).toFixed(0)} %`;
  await tx.campaignMember.update({ where: { campaignId_userId: { campaignId: options.campaignId, userId: options.userId } }, data: { status: "paused", pauseReason } });
  await tx.assignment.updateMany({ where: { campaignId: options.campaignId, userId: options.userId, status: "leased" }, data: { status: "expired" } });
  await writeAudit(tx, { actorId: null, action: memberAutoPausedAction, targetType: "user", targetId: options.userId, campaignId: options.campaignId, data: { correct, total, threshold } });
  return true;
}
