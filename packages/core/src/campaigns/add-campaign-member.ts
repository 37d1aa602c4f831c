import { z } from "zod";
import { requireRole, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import { AppError, parseInput } from "../errors.ts";
import { writeAudit } from "../audit/write-audit.ts";
import { findUserByIdOrEmail, upsertActiveMembership } from "../store/members.ts";
import { inPrismaTransaction } from "../store/transaction.ts";

export const CampaignMemberInput = z.union([
  z.object({ userId: z.string().min(1) }).strict(),
  z.object({ email: z.string().trim().toLowerCase().email() }).strict(),
]);

export async function addCampaignMember(options: { actor: Actor | null; campaignId: string; input: unknown }) {
  const actor = requireRole(options.actor, "admin");
  const input = parseInput(CampaignMemberInput, options.input);
  await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "manage" });
  const user = await findUserByIdOrEmail(input);
  if (!user) throw new AppError("not_found", "No user with that id or email; create the user or send an invite link first.");
  const member = await inPrismaTransaction(async (tx) => {
    const m = await upsertActiveMembership(tx, options.campaignId, user.id);
    await writeAudit(tx, { actorId: actor.userId, action: "campaign.member.add", targetType: "user", targetId: user.id, campaignId: options.campaignId });
    return m;
  });
  return { campaignId: member.campaignId, userId: user.id, email: user.email, status: member.status };
}
