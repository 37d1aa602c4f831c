import { z } from "zod";
import { getPrisma, type Prisma } from "@arbiter/db";
import { requireActor, type Actor } from "../access/actor.ts";
import { isUuid } from "../access/campaign-access.ts";
import { AppError, parseInput } from "../errors.ts";
import { comparisonKind, type CampaignConfig } from "../campaigns/campaign-config.ts";
import { checkJudgment, JudgmentInput, type CheckedVerdict } from "./judgment-input.ts";
import { enqueueRetrainingIfCalibration } from "../routing/enqueue-retraining-if-calibration.ts";
import { enqueueRewardTraining } from "../reward/enqueue-reward-training.ts";
import { applyGoldPausePolicy } from "../quality/apply-gold-pause-policy.ts";
import { updateArenaRatings } from "../arena/update-arena-ratings.ts";

export const IdempotencyKey = z.string().trim().min(8, "Idempotency-Key must be 8–200 characters").max(200).regex(/^[\x21-\x7e]+$/, "Idempotency-Key must be printable ASCII");

/**
 * Stores one human judgment for a leased assignment. A repeated Idempotency-Key returns the
 * first judgment's id and writes nothing; the assignment row lock makes double submits safe.
 * A lease that ran out is still honoured while the item has a free slot, so slow work is kept.
 */
export async function submitJudgment(options: { actor: Actor | null; assignmentId: string; idempotencyKey?: string | null; input: unknown }): Promise<{ id: string; replayed: boolean }> {
  const actor = requireActor(options.actor);
  const key = options.idempotencyKey ? parseInput(IdempotencyKey, options.idempotencyKey, "Idempotency-Key header") : null;
  const input = parseInput(JudgmentInput, options.input, "judgment");
  if (!isUuid(options.assignmentId)) throw new AppError("not_found", "Assignment not found.");
  const prisma = getPrisma();

  if (key) {
    const previous = await prisma.judgment.findUnique({ where: { userId_idempotencyKey: { userId: actor.userId, idempotencyKey: key } } });
    if (previous) {
      if (previous.assignmentId !== options.assignmentId) throw new AppError("conflict", "This Idempotency-Key was already used for another assignment.");
      return { id: previous.id, replayed: true };
    }
  }

  try {
    return await prisma.$transaction(async (tx) => {
      const [locked] = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM assignments WHERE id = ${options.assignmentId}::uuid FOR UPDATE`;
      if (!locked) throw new AppError("not_found", "Assignment not found.");
      const assignment = await tx.assignment.findUniqueOrThrow({ where: { id: options.assignmentId }, include: { campaign: true, item: { include: { responses: true } }, judgment: true } });
      if (assignment.userId !== actor.userId) throw new AppError("forbidden", "This assignment belongs to another annotator.");
      if (assignment.status === "submitted") {
        if (key && assignment.judgment?.idempotencyKey === key) return { id: assignment.judgment.id, replayed: true };
        throw new AppError("conflict", "This assignment already has a judgment; undo it first to change it.");
      }
      if (assignment.status === "skipped") throw new AppError("conflict", "This assignment was skipped.");
      const campaign = assignment.campaign;
      if (campaign.status !== "active") throw new AppError("conflict", `This campaign is ${campaign.status}; judgments are not accepted.`);
      const membership = await tx.campaignMember.findUnique({ where: { campaignId_userId: { campaignId: campaign.id, userId: actor.userId } } });
      if (actor.role !== "admin" && membership?.status !== "active") throw new AppError("forbidden", "Your work on this campaign is paused.");

      const config = campaign.config as unknown as CampaignConfig;
      const item = assignment.item;
      if (assignment.status === "expired" || assignment.expiresAt <= new Date()) {
        await tx.$queryRaw`SELECT id FROM items WHERE id = ${item.id}::uuid FOR UPDATE`;
        const [slot] = await tx.$queryRaw<Array<{ free: number }>>`
          SELECT coalesce(i.human_target, ${config.overlap}::int) - i.human_count
             - (SELECT count(*)::int FROM assignments a WHERE a.item_id = i.id AND a.status = 'leased' AND a.expires_at > now() AND a.id <> ${assignment.id}::uuid) AS free
          FROM items i WHERE i.id = ${item.id}::uuid`;
        if (!item.isGold && (!slot || slot.free <= 0)) throw new AppError("conflict", "Your lease on this task expired and the item has since been completed by others.");
        if (item.routing === "judge") throw new AppError("conflict", "Your lease on this task expired and the item has since been routed to the AI judge.");
      }

      const byId = new Map(item.responses.map((r) => [r.id, r]));
      const candidates = assignment.candidateOrder.map((id) => ({ id, content: byId.get(id)?.content ?? "" }));
      const verdict = checkJudgment(input, { comparison: comparisonKind(campaign.taskType, config), config, candidates });
      const goldCorrect = item.isGold ? isGoldMatch(item.gold, verdict, byId) : null;

      const judgment = await tx.judgment.create({
        data: {
          campaignId: campaign.id,
          itemId: item.id,
          assignmentId: assignment.id,
          source: "human",
          userId: actor.userId,
          verdict: verdict.verdict,
          winnerId: verdict.winnerId,
          ranking: verdict.ranking ?? undefined,
          strength: verdict.strength,
          rationale: input.rationale?.trim() || null,
          attributes: input.attributes as Prisma.InputJsonValue | undefined,
          spans: input.spans as Prisma.InputJsonValue | undefined,
          presentedOrder: assignment.candidateOrder,
          timeMs: input.timeMs,
          isGold: item.isGold,
          goldCorrect,
          hintShown: input.hint?.shown ?? null,
          hintChangedMind: input.hint?.changedMind ?? null,
          meta: input.hint ? ({ hint: input.hint } as Prisma.InputJsonValue) : undefined,
          idempotencyKey: key,
        },
      });
      await tx.assignment.update({ where: { id: assignment.id }, data: { status: "submitted", completedAt: new Date() } });
      await tx.$executeRaw`UPDATE items SET human_count = human_count + 1 WHERE id = ${item.id}::uuid`;
      await enqueueRetrainingIfCalibration(tx, { campaignId: campaign.id, routing: item.routing });
      await enqueueRewardTraining(tx, { campaignId: campaign.id, hintMode: config.hintMode });
      await applyGoldPausePolicy(tx, { campaignId: campaign.id, userId: actor.userId, isGold: item.isGold, config });
      await updateArenaRatings(tx, { campaignId: campaign.id, config, verdict, shown: assignment.candidateOrder, responses: item.responses });
      return { id: judgment.id, replayed: false };
    });
  } catch (error) {
    // Two requests with one key raced past the first lookup: the unique index kept one row.
    if (key && (error as { code?: string }).code === "P2002") {
      const previous = await prisma.judgment.findUnique({ where: { userId_idempotencyKey: { userId: actor.userId, idempotencyKey: key } } });
      if (previous) return { id: previous.id, replayed: true };
    }
    throw error;
  }
}

type GoldJson = { winner?: string; ranking?: string[][] } | null;

function isGoldMatch(gold: unknown, verdict: CheckedVerdict, responses: Map<string, { externalId: string }>): boolean | null {
  const g = gold as GoldJson;
  if (!g) return null;
  const ext = (id: string | null) => (id ? responses.get(id)?.externalId ?? null : null);
  if (g.winner !== undefined) {
    if (g.winner === "tie") return verdict.verdict === "tie";
    const chosen = verdict.verdict === "winner" ? ext(verdict.winnerId) : verdict.verdict === "ranking" && verdict.ranking?.[0]?.length === 1 ? ext(verdict.ranking[0][0] ?? null) : null;
    return chosen === g.winner;
  }
  if (g.ranking) {
    const goldTop = new Set(g.ranking[0] ?? []);
    const chosenTop = verdict.verdict === "winner" ? [ext(verdict.winnerId)] : (verdict.ranking?.[0] ?? []).map((id) => ext(id));
    return chosenTop.length > 0 && chosenTop.every((id) => id !== null && goldTop.has(id));
  }
  return null;
}
