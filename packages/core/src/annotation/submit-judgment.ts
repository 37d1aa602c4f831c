import { z } from "zod";
import type { RouteDecision } from "@arbiter/db";
import { requireActor, type Actor } from "../access/actor.ts";
import { isUuid } from "../access/campaign-access.ts";
import { AppError, isUniqueViolation, parseInput } from "../errors.ts";
import { comparisonKind, type CampaignConfig } from "../campaign-config/campaign-config.ts";
import { checkJudgment, JudgmentInput, type CheckedVerdict } from "./judgment-input.ts";
import { enqueueRetrainingIfCalibration } from "../routing/enqueue-retraining-if-calibration.ts";
import { enqueueRewardTraining } from "../reward/enqueue-reward-training.ts";
import { hintConditionFor } from "../reward/hint-condition.ts";
import { applyGoldPausePolicy } from "../quality/apply-gold-pause-policy.ts";
import { updateArenaRatings } from "../arena/update-arena-ratings.ts";
import { lockAssignment } from "../store/assignments.ts";
import {
  findIdempotencyKeyUse,
  insertHumanJudgment,
  lockItemAndCountFreeSlots,
  lockItemOfAssignment,
  readSubmitContext,
  type KeyUse,
} from "../store/judgments.ts";
import { inTransaction } from "../store/transaction.ts";

export const IdempotencyKey = z
  .string()
  .trim()
  .min(8, "Idempotency-Key must be 8–200 characters")
  .max(200)
  .regex(/^[\x21-\x7e]+$/, "Idempotency-Key must be printable ASCII");

/**
 * Stores one human judgment for a leased assignment. A repeated Idempotency-Key returns the
 * first judgment's id and writes nothing; the assignment row lock makes double submits safe.
 * Once that judgment is undone the key stays spent (`idempotency_key_spent`, 409): a late
 * replay never stores the undone judgment again.
 * A lease that ran out is still honoured while the item has a free slot, so slow work is kept.
 */
export async function submitJudgment(options: {
  actor: Actor | null;
  assignmentId: string;
  idempotencyKey?: string | null;
  input: unknown;
}): Promise<{ id: string; replayed: boolean }> {
  const actor = requireActor(options.actor);
  const key = options.idempotencyKey ? parseInput(IdempotencyKey, options.idempotencyKey, "Idempotency-Key header") : null;
  const input = parseInput(JudgmentInput, options.input, "judgment");
  if (!isUuid(options.assignmentId)) throw new AppError("not_found", "Assignment not found.");
  /** A key seen before answers with its judgment (a retry) or a conflict (its judgment was undone, or the key was reused for other work). */
  const replay = (previous: KeyUse) => {
    if (previous.undone) {
      throw new AppError(
        "idempotency_key_spent",
        "The judgment sent with this Idempotency-Key was undone; the key is spent. Send a new judgment with a new key.",
        {
          details: [{ message: "judgment undone", judgmentId: previous.id, assignmentId: previous.assignmentId }],
        },
      );
    }
    if (previous.assignmentId !== options.assignmentId) throw new AppError("conflict", "This Idempotency-Key was already used for another assignment.");
    return { id: previous.id, replayed: true };
  };

  try {
    return await inTransaction(async (tx) => {
      // The item's row lock, then the assignment's (a concurrent submit of the same assignment
      // waits here); the lease's expiry is then read on the clock, after both locks: a next-task
      // search that saw this lease run out and took its slot has committed by then, so a late
      // submit sees that slot taken (and no item ends over its overlap; found by test:cluster).
      await lockItemOfAssignment(tx, options.assignmentId);
      const locked = await lockAssignment(tx, options.assignmentId);
      if (locked.length === 0) {
        const previous = key ? await findIdempotencyKeyUse(actor.userId, key, tx) : undefined;
        if (previous) return replay(previous);
        throw new AppError("not_found", "Assignment not found.");
      }
      // A fresh statement after the lock: it sees whatever a concurrent submit of this assignment committed.
      const assignment = await readSubmitContext(tx, options.assignmentId, actor.userId, key);
      if (!assignment) throw new AppError("not_found", "Assignment not found.");
      if (assignment.keyed) return replay(assignment.keyed);
      if (assignment.userId !== actor.userId) throw new AppError("forbidden", "This assignment belongs to another annotator.");
      if (assignment.status === "submitted") throw new AppError("conflict", "This assignment already has a judgment; undo it first to change it.");
      if (assignment.status === "skipped") throw new AppError("conflict", "This assignment was skipped.");
      if (assignment.campaignStatus !== "active") throw new AppError("conflict", `This campaign is ${assignment.campaignStatus}; judgments are not accepted.`);
      if (actor.role !== "admin" && assignment.memberStatus !== "active") throw new AppError("forbidden", "Your work on this campaign is paused.");

      const config = assignment.config as CampaignConfig;
      const campaignId = assignment.campaignId;
      const itemId = assignment.itemId;
      if (assignment.status === "expired" || assignment.leaseRanOut) {
        const slot = await lockItemAndCountFreeSlots(tx, itemId, config.overlap, assignment.id);
        if (!assignment.isGold && (!slot || slot.free <= 0))
          throw new AppError("conflict", "Your lease on this task expired and the item has since been completed by others.");
        if (slot?.routing === "judge") throw new AppError("conflict", "Your lease on this task expired and the item has since been routed to the AI judge.");
      }

      const byId = new Map(assignment.responses.map((r) => [r.id, r]));
      const candidates = assignment.candidateOrder.map((id) => ({ id, content: byId.get(id)?.content ?? "" }));
      const verdict = checkJudgment(input, { comparison: comparisonKind(assignment.taskType, config), config, candidates });
      const goldCorrect = assignment.isGold ? isGoldMatch(assignment.gold, verdict, byId) : null;
      const hintSource = config.hintSource === "judge" ? "judge" : "reward-model";
      const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

      // The judgment, the assignment's new status and the item's counter: one statement, one transaction.
      const id = await insertHumanJudgment(tx, {
        campaignId,
        itemId,
        assignmentId: assignment.id,
        userId: actor.userId,
        verdict: verdict.verdict,
        winnerId: verdict.winnerId,
        ranking: json(verdict.ranking),
        strength: verdict.strength,
        rationale: input.rationale?.trim() || null,
        attributes: json(input.attributes),
        spans: json(input.spans),
        presentedOrder: assignment.candidateOrder,
        timeMs: input.timeMs ?? null,
        isGold: assignment.isGold,
        goldCorrect,
        hintShown: input.hint?.shown ?? null,
        hintChangedMind: input.hint?.changedMind ?? null,
        meta: json({
          ...(input.hint ? { hint: input.hint } : {}),
          hintCondition: hintConditionFor({
            hintMode: config.hintMode,
            assignmentId: assignment.id,
            controlShare: config.hintControlShare,
            // The page reports what the task carried: a model version, or the judge's verdict.
            taskHadModel: hintSource === "judge" ? input.hint?.source === "judge" : input.hint?.modelVersion !== undefined,
            // The judge's verdict never goes on gold or calibration items: they are in neither arm.
            eligible: hintSource !== "judge" || (!assignment.isGold && assignment.routing !== "calibration"),
          }),
          ...(config.hintMode === "off" ? {} : { hintSource }),
        }),
        idempotencyKey: key,
      });
      const routing = assignment.routing as RouteDecision;
      await enqueueRetrainingIfCalibration(tx, { campaignId, routing });
      await enqueueRewardTraining(tx, { campaignId, hintMode: config.hintMode });
      await applyGoldPausePolicy(tx, { campaignId, userId: actor.userId, isGold: assignment.isGold, config });
      await updateArenaRatings(tx, { campaignId, config, verdict, shown: assignment.candidateOrder, responses: assignment.responses });
      return { id, replayed: false };
    });
  } catch (error) {
    // Two requests with one key raced past the first lookup: the unique index kept one row.
    if (key && isUniqueViolation(error)) {
      const previous = await findIdempotencyKeyUse(actor.userId, key);
      if (previous) return replay(previous);
    }
    throw error;
  }
}

type GoldJson = { winner?: string; ranking?: string[][] } | null;

function isGoldMatch(gold: unknown, verdict: CheckedVerdict, responses: Map<string, { externalId: string }>): boolean | null {
  const g = gold as GoldJson;
  if (!g) return null;
  const ext = (id: string | null) => (id ? (responses.get(id)?.externalId ?? null) : null);
  if (g.winner !== undefined) {
    if (g.winner === "tie") return verdict.verdict === "tie";
    const chosen =
      verdict.verdict === "winner"
        ? ext(verdict.winnerId)
        : verdict.verdict === "ranking" && verdict.ranking?.[0]?.length === 1
          ? ext(verdict.ranking[0][0] ?? null)
          : null;
    return chosen === g.winner;
  }
  if (g.ranking) {
    const goldTop = new Set(g.ranking[0] ?? []);
    const chosenTop = verdict.verdict === "winner" ? [ext(verdict.winnerId)] : (verdict.ranking?.[0] ?? []).map((id) => ext(id));
    return chosenTop.length > 0 && chosenTop.every((id) => id !== null && goldTop.has(id));
  }
  return null;
}
