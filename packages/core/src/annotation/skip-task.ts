import { z } from "zod";
import { requireActor, type Actor } from "../access/actor.ts";
import { isUuid } from "../access/campaign-access.ts";
import { AppError, parseInput } from "../errors.ts";
import { lockAssignmentForSkip, markAssignmentSkipped } from "../store/assignments.ts";
import { inPrismaTransaction } from "../store/transaction.ts";

export const SkipInput = z.object({ reason: z.string().trim().max(500).optional() }).strict();

/**
 * A skipped item is never offered to this annotator again; its slot returns to the pool. The
 * same rules as a judgment: only while the campaign is active and the member is not paused.
 */
export async function skipTask(options: { actor: Actor | null; assignmentId: string; input: unknown }) {
  const actor = requireActor(options.actor);
  const input = parseInput(SkipInput, options.input ?? {}, "skip");
  if (!isUuid(options.assignmentId)) throw new AppError("not_found", "Assignment not found.");
  return inPrismaTransaction(async (tx) => {
    const row = await lockAssignmentForSkip(tx, options.assignmentId);
    if (!row) throw new AppError("not_found", "Assignment not found.");
    if (row.userId !== actor.userId) throw new AppError("forbidden", "This assignment belongs to another annotator.");
    if (row.status === "skipped") return { ok: true as const, assignmentId: options.assignmentId };
    if (row.status === "submitted") throw new AppError("conflict", "This assignment already has a judgment.");
    if (row.campaignStatus !== "active") throw new AppError("conflict", `This campaign is ${row.campaignStatus}; judgments are not accepted.`);
    if (actor.role !== "admin" && row.memberStatus !== "active") throw new AppError("forbidden", "Your work on this campaign is paused.");
    await markAssignmentSkipped(tx, options.assignmentId, input.reason || null, new Date());
    return { ok: true as const, assignmentId: options.assignmentId };
  });
}
