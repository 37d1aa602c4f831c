import { z } from "zod";
import { getPrisma } from "@arbiter/db";
import { requireActor, type Actor } from "../access/actor.ts";
import { isUuid } from "../access/campaign-access.ts";
import { AppError, parseInput } from "../errors.ts";

export const SkipInput = z.object({ reason: z.string().trim().max(500).optional() }).strict();

/**
 * A skipped item is never offered to this annotator again; its slot returns to the pool. The
 * same rules as a judgment: only while the campaign is active and the member is not paused.
 */
export async function skipTask(options: { actor: Actor | null; assignmentId: string; input: unknown }) {
  const actor = requireActor(options.actor);
  const input = parseInput(SkipInput, options.input ?? {}, "skip");
  if (!isUuid(options.assignmentId)) throw new AppError("not_found", "Assignment not found.");
  const prisma = getPrisma();
  return prisma.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<Array<{ user_id: string; status: string; campaign_status: string; member_status: string | null }>>`
      SELECT a.user_id, a.status, c.status::text AS campaign_status, m.status::text AS member_status
      FROM assignments a
        JOIN campaigns c ON c.id = a.campaign_id
        LEFT JOIN campaign_members m ON m.campaign_id = a.campaign_id AND m.user_id = a.user_id
      WHERE a.id = ${options.assignmentId}::uuid
      FOR UPDATE OF a`;
    if (!row) throw new AppError("not_found", "Assignment not found.");
    if (row.user_id !== actor.userId) throw new AppError("forbidden", "This assignment belongs to another annotator.");
    if (row.status === "skipped") return { ok: true as const, assignmentId: options.assignmentId };
    if (row.status === "submitted") throw new AppError("conflict", "This assignment already has a judgment.");
    if (row.campaign_status !== "active") throw new AppError("conflict", `This campaign is ${row.campaign_status}; judgments are not accepted.`);
    if (actor.role !== "admin" && row.member_status !== "active") throw new AppError("forbidden", "Your work on this campaign is paused.");
    await tx.assignment.update({ where: { id: options.assignmentId }, data: { status: "skipped", skipReason: input.reason || null, completedAt: new Date() } });
    return { ok: true as const, assignmentId: options.assignmentId };
  });
}
