import { z } from "zod";
import { getRawDb, rawTransaction, type RawDb, type RouteDecision, type TaskType } from "@arbiter/db";
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
 * Once that judgment is undone the key stays spent (`idempotency_key_spent`, 409): a late
 * replay never stores the undone judgment again.
 * A lease that ran out is still honoured while the item has a free slot, so slow work is kept.
 */
export async function submitJudgment(options: { actor: Actor | null; assignmentId: string; idempotencyKey?: string | null; input: unknown }): Promise<{ id: string; replayed: boolean }> {
  const actor = requireActor(options.actor);
  const key = options.idempotencyKey ? parseInput(IdempotencyKey, options.idempotencyKey, "Idempotency-Key header") : null;
  const input = parseInput(JudgmentInput, options.input, "judgment");
  if (!isUuid(options.assignmentId)) throw new AppError("not_found", "Assignment not found.");
  const findByKey = async (db: RawDb, idempotencyKey: string) => {
    const [previous] = await db.$queryRaw<KeyUse[]>`
      SELECT id, assignment_id AS "assignmentId", false AS undone FROM judgments WHERE user_id = ${actor.userId} AND idempotency_key = ${idempotencyKey}
      UNION ALL
      SELECT judgment_id, assignment_id, true FROM spent_idempotency_keys WHERE user_id = ${actor.userId} AND idempotency_key = ${idempotencyKey}`;
    return previous;
  };
  /** A key seen before answers with its judgment (a retry) or a conflict (its judgment was undone, or the key was reused for other work). */
  const replay = (previous: KeyUse) => {
    if (previous.undone) {
      throw new AppError("idempotency_key_spent", "The judgment sent with this Idempotency-Key was undone; the key is spent. Send a new judgment with a new key.", {
        details: [{ message: "judgment undone", judgmentId: previous.id, assignmentId: previous.assignmentId }],
      });
    }
    if (previous.assignmentId !== options.assignmentId) throw new AppError("conflict", "This Idempotency-Key was already used for another assignment.");
    return { id: previous.id, replayed: true };
  };

  try {
    // The assignment's row lock goes out with BEGIN (the id is a checked UUID, safe to inline).
    const prelude = `SELECT id FROM assignments WHERE id = '${options.assignmentId}'::uuid FOR UPDATE`;
    return await rawTransaction(async (tx, locked) => {
      if (locked.length === 0) {
        const previous = key ? await findByKey(tx, key) : undefined;
        if (previous) return replay(previous);
        throw new AppError("not_found", "Assignment not found.");
      }
      // A fresh statement after the lock: it sees whatever a concurrent submit of this assignment committed.
      const [assignment] = await tx.$queryRaw<SubmitContext[]>`
        SELECT a.id, a.user_id AS "userId", a.status, a.candidate_order AS "candidateOrder", a.expires_at <= now() AS "leaseRanOut",
               c.id AS "campaignId", c.status AS "campaignStatus", c.task_type AS "taskType", c.config,
               m.status AS "memberStatus",
               i.id AS "itemId", i.is_gold AS "isGold", i.gold, i.routing,
               coalesce((SELECT json_agg(json_build_object('id', r.id, 'content', r.content, 'model', r.model, 'externalId', r.external_id)) FROM responses r WHERE r.item_id = i.id), '[]'::json) AS responses,
               coalesce((SELECT json_build_object('id', k.id, 'assignmentId', k.assignment_id, 'undone', false) FROM judgments k WHERE k.user_id = ${actor.userId} AND k.idempotency_key = ${key}),
                        (SELECT json_build_object('id', s.judgment_id, 'assignmentId', s.assignment_id, 'undone', true) FROM spent_idempotency_keys s WHERE s.user_id = ${actor.userId} AND s.idempotency_key = ${key})) AS keyed
        FROM assignments a
          JOIN campaigns c ON c.id = a.campaign_id
          JOIN items i ON i.id = a.item_id
          LEFT JOIN campaign_members m ON m.campaign_id = a.campaign_id AND m.user_id = a.user_id
        WHERE a.id = ${options.assignmentId}::uuid`;
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
        await tx.$queryRaw`SELECT id FROM items WHERE id = ${itemId}::uuid FOR UPDATE`;
        const [slot] = await tx.$queryRaw<Array<{ free: number; routing: string }>>`
          SELECT coalesce(i.human_target, ${config.overlap}::int) - i.human_count
             - (SELECT count(*)::int FROM assignments a WHERE a.item_id = i.id AND a.status = 'leased' AND a.expires_at > now() AND a.id <> ${assignment.id}::uuid) AS free,
             i.routing
          FROM items i WHERE i.id = ${itemId}::uuid`;
        if (!assignment.isGold && (!slot || slot.free <= 0)) throw new AppError("conflict", "Your lease on this task expired and the item has since been completed by others.");
        if (slot?.routing === "judge") throw new AppError("conflict", "Your lease on this task expired and the item has since been routed to the AI judge.");
      }

      const byId = new Map(assignment.responses.map((r) => [r.id, r]));
      const candidates = assignment.candidateOrder.map((id) => ({ id, content: byId.get(id)?.content ?? "" }));
      const verdict = checkJudgment(input, { comparison: comparisonKind(assignment.taskType, config), config, candidates });
      const goldCorrect = assignment.isGold ? isGoldMatch(assignment.gold, verdict, byId) : null;
      const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

      // The judgment, the assignment's new status and the item's counter: one statement, one transaction.
      const [stored] = await tx.$queryRaw<Array<{ id: string }>>`
        WITH judgment AS (
          INSERT INTO judgments (campaign_id, item_id, assignment_id, source, user_id, verdict, winner_id, ranking, strength, rationale, attributes, spans,
                                 presented_order, time_ms, is_gold, gold_correct, hint_shown, hint_changed_mind, meta, idempotency_key)
          VALUES (${campaignId}::uuid, ${itemId}::uuid, ${assignment.id}::uuid, 'human', ${actor.userId}, ${verdict.verdict}::"Verdict", ${verdict.winnerId}::uuid,
                  ${json(verdict.ranking)}::jsonb, ${verdict.strength}::int, ${input.rationale?.trim() || null}, ${json(input.attributes)}::jsonb, ${json(input.spans)}::jsonb,
                  ${assignment.candidateOrder}::uuid[], ${input.timeMs ?? null}::int, ${assignment.isGold}, ${goldCorrect}::boolean,
                  ${input.hint?.shown ?? null}::boolean, ${input.hint?.changedMind ?? null}::boolean, ${json(input.hint ? { hint: input.hint } : null)}::jsonb, ${key})
          RETURNING id
        ), leased AS (
          UPDATE assignments SET status = 'submitted', completed_at = now() WHERE id = ${assignment.id}::uuid
        ), counted AS (
          UPDATE items SET human_count = human_count + 1 WHERE id = ${itemId}::uuid
        )
        SELECT id FROM judgment`;
      const routing = assignment.routing as RouteDecision;
      await enqueueRetrainingIfCalibration(tx, { campaignId, routing });
      await enqueueRewardTraining(tx, { campaignId, hintMode: config.hintMode });
      await applyGoldPausePolicy(tx, { campaignId, userId: actor.userId, isGold: assignment.isGold, config });
      await updateArenaRatings(tx, { campaignId, config, verdict, shown: assignment.candidateOrder, responses: assignment.responses });
      return { id: stored!.id, replayed: false };
    }, { prelude });
  } catch (error) {
    // Two requests with one key raced past the first lookup: the unique index kept one row.
    if (key && isUniqueViolation(error)) {
      const previous = await findByKey(getRawDb(), key);
      if (previous) return replay(previous);
    }
    throw error;
  }
}

/** What storing a judgment needs to know, read in one statement under the assignment's lock. */
interface SubmitContext {
  id: string;
  userId: string;
  status: "leased" | "submitted" | "skipped" | "expired";
  candidateOrder: string[];
  leaseRanOut: boolean;
  campaignId: string;
  campaignStatus: string;
  taskType: TaskType;
  config: unknown;
  memberStatus: string | null;
  itemId: string;
  isGold: boolean;
  gold: unknown;
  routing: string;
  responses: Array<{ id: string; content: string; model: string | null; externalId: string }>;
  /** This annotator's judgment stored under the request's Idempotency-Key, or the undone one it was spent on. */
  keyed: KeyUse | null;
}

/** What an Idempotency-Key was used for: a stored judgment, or one that was undone (`undone`, the row is gone). */
interface KeyUse {
  id: string;
  assignmentId: string | null;
  undone: boolean;
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "23505" || code === "P2002";
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
