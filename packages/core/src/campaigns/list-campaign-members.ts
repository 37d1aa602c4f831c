import { requireRole, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import { countHumanJudgmentsByUser, listMembersWithUsers } from "../store/members.ts";

/** A campaign's members with their e-mail, status and judgment count (admins only: e-mails are personal data). */
export async function listCampaignMembers(options: { actor: Actor | null; campaignId: string }) {
  const actor = requireRole(options.actor, "admin");
  const campaign = await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "manage" });
  const members = await listMembersWithUsers(campaign.id);
  const judged = await countHumanJudgmentsByUser(campaign.id);
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
