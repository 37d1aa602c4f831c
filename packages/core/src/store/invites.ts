import { getPrisma, type Invite, type Role } from "@arbiter/db";
import type { PrismaTx } from "./transaction.ts";

/** Invites: single-use links, stored as a SHA-256 of their secret. */

export async function insertInvite(
  tx: PrismaTx,
  invite: { tokenHash: string; email?: string; role: Role; campaignId?: string; createdById: string; expiresAt: Date },
): Promise<{ id: string }> {
  return tx.invite.create({ data: invite, select: { id: true } });
}

export async function campaignExists(tx: PrismaTx, campaignId: string): Promise<boolean> {
  return (await tx.campaign.findUnique({ where: { id: campaignId }, select: { id: true } })) !== null;
}

/** The invite with this hash and its campaign's name, for the invite page. */
export async function findInviteByTokenHash(tokenHash: string): Promise<(Invite & { campaignName: string | null }) | null> {
  const invite = await getPrisma().invite.findUnique({ where: { tokenHash }, include: { campaign: { select: { name: true } } } });
  if (!invite) return null;
  const { campaign, ...row } = invite;
  return { ...row, campaignName: campaign?.name ?? null };
}

/** The invite with this hash, its row locked until the transaction ends (two concurrent uses: one wins). */
export async function lockInviteByTokenHash(tx: PrismaTx, tokenHash: string): Promise<Invite | null> {
  const [invite] = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM invites WHERE token_hash = ${tokenHash} FOR UPDATE`;
  return invite ? tx.invite.findUnique({ where: { id: invite.id } }) : null;
}

export async function markInviteUsed(tx: PrismaTx, inviteId: string, usedById: string): Promise<void> {
  await tx.invite.update({ where: { id: inviteId }, data: { usedAt: new Date(), usedById } });
}

/** Makes the user a member of the campaign; an existing membership is left as it is. */
export async function ensureCampaignMember(tx: PrismaTx, campaignId: string, userId: string): Promise<void> {
  await tx.campaignMember.upsert({
    where: { campaignId_userId: { campaignId, userId } },
    create: { campaignId, userId },
    update: {},
  });
}
