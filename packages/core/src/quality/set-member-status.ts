import { z } from "zod";
import { requireRole, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import { writeAudit } from "../audit/write-audit.ts";
import { AppError, parseInput } from "../errors.ts";
import { expireMemberLeases, lockMemberStatus, updateMemberStatus } from "../store/quality.ts";
import { inPrismaTransaction } from "../store/transaction.ts";
import { memberResumedAction } from "./apply-gold-pause-policy.ts";

export const MemberStatusInput = z
  .object({
    status: z.enum(["active", "paused"]),
    reason: z.string().trim().min(1).max(500).optional(),
  })
  .strict();

/**
 * An admin pauses or resumes one annotator in one campaign. Pausing releases their open
 * leases; resuming clears the reason and starts a fresh window for the gold-pause policy.
 */
export async function setMemberStatus(options: { actor: Actor | null; campaignId: string; userId: string; input: unknown }) {
  const actor = requireRole(options.actor, "admin");
  const input = parseInput(MemberStatusInput, options.input);
  await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "manage" });
  return inPrismaTransaction(async (tx) => {
    const memberStatus = await lockMemberStatus(tx, options.campaignId, options.userId);
    if (!memberStatus) throw new AppError("not_found", "This user is not a member of the campaign.");
    const pauseReason = input.status === "paused" ? (input.reason ?? "paused by an admin") : null;
    const updated = await updateMemberStatus(tx, { campaignId: options.campaignId, userId: options.userId, status: input.status, pauseReason });
    if (input.status === "paused") {
      await expireMemberLeases(tx, options.campaignId, options.userId);
    }
    if (memberStatus !== input.status) {
      await writeAudit(tx, {
        actorId: actor.userId,
        action: input.status === "active" ? memberResumedAction : "campaign.member.pause",
        targetType: "user",
        targetId: options.userId,
        campaignId: options.campaignId,
        data: { from: memberStatus, to: input.status, ...(pauseReason ? { reason: pauseReason } : {}) },
      });
    }
    return updated;
  });
}
