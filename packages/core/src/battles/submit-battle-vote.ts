import { requireActor, type Actor } from "../access/actor.ts";
import { isUuid } from "../access/campaign-access.ts";
import { submitJudgment } from "../annotation/submit-judgment.ts";
import { AppError } from "../errors.ts";
import { findBattleByAssignment } from "../store/battles.ts";
import { db } from "../store/transaction.ts";

/**
 * The judgment endpoint, battle-aware: a battle's assignment takes its vote only once every
 * answer is complete (before that, or when the battle is void: 409), and the answer reveals
 * which contestant wrote each candidate. Any other assignment is an ordinary judgment.
 */
export async function submitJudgmentOrBattleVote(options: {
  actor: Actor | null;
  assignmentId: string;
  idempotencyKey?: string | null;
  input: unknown;
}): Promise<{ id: string; replayed: boolean; revealed?: Array<{ candidateId: string; name: string }> }> {
  const actor = requireActor(options.actor);
  const battle = isUuid(options.assignmentId) ? await findBattleByAssignment(db(), options.assignmentId) : null;
  if (battle && battle.userId !== actor.userId) throw new AppError("not_found", "Assignment not found.");
  if (battle?.status === "generating")
    throw new AppError("conflict", "The answers are not complete yet; vote once both have finished.", { details: [{ message: "battle_not_ready" }] });
  if (battle?.status === "void")
    throw new AppError("conflict", "This battle is void (a model failed); it takes no vote.", { details: [{ message: "battle_void" }] });
  const result = await submitJudgment(options);
  if (!battle) return result;
  return { ...result, revealed: battle.contestants.map((c) => ({ candidateId: c.candidateId, name: c.name })) };
}
