import { getPrisma } from "@arbiter/db";
import { requireActor, type Actor } from "../access/actor.ts";
import { isUuid } from "../access/campaign-access.ts";
import { AppError } from "../errors.ts";
import { memberLeaseLockKey } from "./assign-next-task.ts";

export const UNDO_WINDOW_MS = 2 * 60_000;

/**
 * Takes back the caller's own last judgment within the undo window; the task is leased to them
 * again. The judgment's Idempotency-Key is recorded as spent (see submit-judgment.ts).
 */
export async function undoJudgment(options: { actor: Actor | null; judgmentId: string; now?: Date }) {
  const actor = requireActor(options.actor);
  if (!isUuid(options.judgmentId)) throw new AppError("not_found", "Judgment not found.");
  const prisma = getPrisma();
  const now = options.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const judgment = await tx.judgment.findUnique({ where: { id: options.judgmentId }, include: { campaign: true } });
    if (!judgment || judgment.userId !== actor.userId || judgment.source !== "human") throw new AppError("not_found", "Judgment not found.");
    if (now.getTime() - judgment.createdAt.getTime() > UNDO_WINDOW_MS) throw new AppError("conflict", "The undo window for this judgment has passed.");
    if (judgment.campaign.status !== "active") throw new AppError("conflict", `This campaign is ${judgment.campaign.status}; judgments can no longer be undone.`);
    if (!judgment.assignmentId) throw new AppError("conflict", "This judgment cannot be undone.");
    // A paused member could not resubmit, so undoing would lose the judgment.
    const membership = await tx.campaignMember.findUnique({ where: { campaignId_userId: { campaignId: judgment.campaignId, userId: actor.userId } } });
    if (actor.role !== "admin" && membership?.status !== "active") throw new AppError("forbidden", "Your work on this campaign is paused; the judgment stays as it is.");
    const leaseMinutes = (judgment.campaign.config as { leaseMinutes?: number }).leaseMinutes ?? 10;
    // The member's lease lock (assign-next-task.ts): no task search of theirs runs meanwhile, and
    // their search mark drops below the item, which is no longer done.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${memberLeaseLockKey(actor.userId, judgment.campaignId)}::bigint)`;
    await tx.$executeRaw`
      UPDATE campaign_members SET scan_from = least(scan_from, (SELECT position - 1 FROM items WHERE id = ${judgment.itemId}::uuid))
      WHERE campaign_id = ${judgment.campaignId}::uuid AND user_id = ${actor.userId}`;
    await tx.judgment.delete({ where: { id: judgment.id } });
    // Its key stays spent: a late replay of the original request must not store it again.
    if (judgment.idempotencyKey && judgment.userId) {
      await tx.spentIdempotencyKey.create({
        data: { userId: judgment.userId, idempotencyKey: judgment.idempotencyKey, campaignId: judgment.campaignId, judgmentId: judgment.id, assignmentId: judgment.assignmentId },
      });
    }
    await tx.$executeRaw`UPDATE items SET human_count = greatest(human_count - 1, 0) WHERE id = ${judgment.itemId}::uuid`;
    await tx.assignment.update({ where: { id: judgment.assignmentId }, data: { status: "leased", completedAt: null, expiresAt: new Date(now.getTime() + leaseMinutes * 60_000) } });
    return { ok: true as const, assignmentId: judgment.assignmentId };
  });
}
