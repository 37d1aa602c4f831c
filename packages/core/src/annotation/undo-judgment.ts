import { requireActor, type Actor } from "../access/actor.ts";
import { isUuid } from "../access/campaign-access.ts";
import { AppError } from "../errors.ts";
import { findMemberStatus, lockMemberLeases, lowerScanFromBelowItem, releaseAssignmentAsLease } from "../store/assignments.ts";
import { deleteUndoneJudgment, findJudgmentForUndo } from "../store/judgments.ts";
import { inPrismaTransaction } from "../store/transaction.ts";

export const UNDO_WINDOW_MS = 2 * 60_000;

/**
 * Takes back the caller's own last judgment within the undo window; the task is leased to them
 * again. The judgment's Idempotency-Key is recorded as spent (see submit-judgment.ts).
 */
export async function undoJudgment(options: { actor: Actor | null; judgmentId: string; now?: Date }) {
  const actor = requireActor(options.actor);
  if (!isUuid(options.judgmentId)) throw new AppError("not_found", "Judgment not found.");
  const now = options.now ?? new Date();
  return inPrismaTransaction(async (tx) => {
    const judgment = await findJudgmentForUndo(tx, options.judgmentId);
    if (!judgment || judgment.userId !== actor.userId || judgment.source !== "human") throw new AppError("not_found", "Judgment not found.");
    if (now.getTime() - judgment.createdAt.getTime() > UNDO_WINDOW_MS) throw new AppError("conflict", "The undo window for this judgment has passed.");
    if (judgment.campaign.status !== "active")
      throw new AppError("conflict", `This campaign is ${judgment.campaign.status}; judgments can no longer be undone.`);
    const assignmentId = judgment.assignmentId;
    if (!assignmentId) throw new AppError("conflict", "This judgment cannot be undone.");
    // A paused member could not resubmit, so undoing would lose the judgment.
    const memberStatus = await findMemberStatus(tx, judgment.campaignId, actor.userId);
    if (actor.role !== "admin" && memberStatus !== "active")
      throw new AppError("forbidden", "Your work on this campaign is paused; the judgment stays as it is.");
    const leaseMinutes = (judgment.campaign.config as { leaseMinutes?: number }).leaseMinutes ?? 10;
    // The member's lease lock (see assign-next-task.ts): no task search of theirs runs meanwhile,
    // and their search mark drops below the item, which is no longer done.
    await lockMemberLeases(tx, judgment.campaignId, actor.userId);
    await lowerScanFromBelowItem(tx, judgment.campaignId, actor.userId, judgment.itemId);
    // Its key stays spent: a late replay of the original request must not store it again.
    await deleteUndoneJudgment(tx, { ...judgment, assignmentId });
    await releaseAssignmentAsLease(tx, assignmentId, new Date(now.getTime() + leaseMinutes * 60_000));
    return { ok: true as const, assignmentId };
  });
}
