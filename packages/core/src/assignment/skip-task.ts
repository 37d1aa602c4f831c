import { z } from "zod";
import { getPrisma } from "@arbiter/db";
import { requireActor, type Actor } from "../access/actor.ts";
import { isUuid } from "../access/campaign-access.ts";
import { AppError, parseInput } from "../errors.ts";

export const SkipInput = z.object({ reason: z.string().trim().max(500).optional() }).strict();

/** A skipped item is never offered to this annotator again; its slot returns to the pool. */
export async function skipTask(options: { actor: Actor | null; assignmentId: string; input: unknown }) {
  const actor = requireActor(options.actor);
  const input = parseInput(SkipInput, options.input ?? {}, "skip");
  if (!isUuid(options.assignmentId)) throw new AppError("not_found", "Assignment not found.");
  const prisma = getPrisma();
  return prisma.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<Array<{ user_id: string; status: string }>>`SELECT user_id, status FROM assignments WHERE id = ${options.assignmentId}::uuid FOR UPDATE`;
    if (!row) throw new AppError("not_found", "Assignment not found.");
    if (row.user_id !== actor.userId) throw new AppError("forbidden", "This assignment belongs to another annotator.");
    if (row.status === "skipped") return { ok: true as const, assignmentId: options.assignmentId };
    if (row.status === "submitted") throw new AppError("conflict", "This assignment already has a judgment.");
    await tx.assignment.update({ where: { id: options.assignmentId }, data: { status: "skipped", skipReason: input.reason || null, completedAt: new Date() } });
    return { ok: true as const, assignmentId: options.assignmentId };
  });
}
