import { z } from "zod";
import { getPrisma } from "@arbiter/db";
import { requireRole, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import { writeAudit } from "../audit/write-audit.ts";
import { AppError, parseInput } from "../errors.ts";
import { memberResumedAction } from "./apply-gold-pause-policy.ts";

export const MemberStatusInput = z.object({
  status: z.enum(["active", "paused"]),
  reason: z.string().trim().min(1).max(500).optional(),
}).strict();

/**
 * An admin pauses or resumes one annotator in one campaign. Pausing releases their open
 * leases; resuming clears the reason and starts a fresh window for the gold-pause policy.
 */
export async function setMemberStatus(options: { actor: Actor | null; campaignId: string; userId: string; input: unknown }) {
  const actor = requireRole(options.actor, "admin");
  const input = parseInput(MemberStatusInput, options.input);
  await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "manage" });
  return getPrisma().$transaction(async (tx) => {
    const [member] = await tx.$queryRaw<Array<{ status: "active" | "paused" }>>`
      SELECT status FROM campaign_members WHERE campaign_id = ${options.campaignId}::uuid AND user_id = ${options.userId} FOR UPDATE`;
    if (!member) throw new AppError("not_found", "This user is not a member of the campaign.");
    const pauseReason = input.status === "paused" ? input.reason ?? "paused by an admin" : null;
    const updated = await tx.campaignMember.update({
      where: { campaignId_userId: { campaignId: options.campaignId, userId: options.userId } },
      data: { status: input.status, pauseReason },
      include: { user: { select: { email: true } } },
    });
    if (input.status === "paused") {
      await tx.assignment.updateMany({ where: { campaignId: options.campaignId, userId: options.userId, status: "leased" }, data: { status: "expired" } });
    }
    if (member.status !== input.status) {
      await writeAudit(tx, {
        actorId: actor.userId,
        action: input.status === "active" ? memberResumedAction : "campaign.member.pause",
        targetType: "user",
        targetId: options.userId,
        campaignId: options.campaignId,
        data: { from: member.status, to: input.status, ...(pauseReason ? { reason: pauseReason } : {}) },
      });
    }
    return { campaignId: updated.campaignId, userId: updated.userId, email: updated.user.email, status: updated.status, pauseReason: updated.pauseReason };
  });
}
