import { z } from "zod";
import { getPrisma } from "@arbiter/db";
import { requireRole, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import { AppError, parseInput } from "../errors.ts";
import { writeAudit } from "../audit/write-audit.ts";

export const CampaignMemberInput = z.union([
  z.object({ userId: z.string().min(1) }).strict(),
  z.object({ email: z.string().trim().toLowerCase().email() }).strict(),
]);

export async function addCampaignMember(options: { actor: Actor | null; campaignId: string; input: unknown }) {
  const actor = requireRole(options.actor, "admin");
  const input = parseInput(CampaignMemberInput, options.input);
  await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "manage" });
  const prisma = getPrisma();
  const user = "userId" in input
    ? await prisma.user.findUnique({ where: { id: input.userId } })
    : await prisma.user.findUnique({ where: { email: input.email } });
  if (!user) throw new AppError("not_found", "No user with that id or email; create the user or send an invite link first.");
  const member = await prisma.$transaction(async (tx) => {
    const m = await tx.campaignMember.upsert({
      where: { campaignId_userId: { campaignId: options.campaignId, userId: user.id } },
      create: { campaignId: options.campaignId, userId: user.id },
      update: { status: "active", pauseReason: null },
    });
    await writeAudit(tx, { actorId: actor.userId, action: "campaign.member.add", targetType: "user", targetId: user.id, campaignId: options.campaignId });
    return m;
  });
  return { campaignId: member.campaignId, userId: user.id, email: user.email, status: member.status };
}
