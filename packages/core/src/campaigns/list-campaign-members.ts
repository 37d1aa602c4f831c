import { getPrisma } from "@arbiter/db";
import { requireRole, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";

/** A campaign's members with their e-mail, status and judgment count (admins only: e-mails are personal data). */
export async function listCampaignMembers(options: { actor: Actor | null; campaignId: string }) {
  const actor = requireRole(options.actor, "admin");
  const campaign = await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "manage" });
  const prisma = getPrisma();
  const members = await prisma.campaignMember.findMany({ where: { campaignId: campaign.id }, include: { user: { select: { email: true, name: true, role: true } } }, orderBy: { createdAt: "asc" } });
  const counts = await prisma.judgment.groupBy({ by: ["userId"], where: { campaignId: campaign.id, source: "human" }, _count: { _all: true } });
  const judged = new Map(counts.map((c) => [c.userId, c._count._all]));
  return members.map((m) => ({
    userId: m.userId,
    email: m.user.email,
    name: m.user.name,
    role: m.user.role,
    status: m.status,
    pauseReason: m.pauseReason,
    judgments: judged.get(m.userId) ?? 0,
    addedAt: m.createdAt.toISOString(),
  }));
}
