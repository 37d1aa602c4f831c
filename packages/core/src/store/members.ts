import { getPrisma, type Campaign, type CampaignMember, type MembershipStatus, type Role, type User } from "@arbiter/db";
import type { PrismaTx, Tx } from "./transaction.ts";

/** Campaign membership: who may annotate a campaign, and the member row access checks read. */

/** The user's membership of the campaign, or null. */
export async function findMembership(campaignId: string, userId: string): Promise<CampaignMember | null> {
  return getPrisma().campaignMember.findUnique({ where: { campaignId_userId: { campaignId, userId } } });
}

/** What the task loop needs of a campaign, and the caller's membership of it (null fields: not a member). */
export interface CampaignWithMembership {
  id: string;
  status: Campaign["status"];
  taskType: Campaign["taskType"];
  config: unknown;
  memberStatus: MembershipStatus | null;
  pauseReason: string | null;
}

/**
 * The campaign and the user's membership in one statement, for the requests an annotator makes
 * for every task (assertCampaignAnnotatable). Null when there is no such campaign.
 */
export async function findCampaignWithMembership(db: Tx, campaignId: string, userId: string): Promise<CampaignWithMembership | null> {
  const [row] = await db.$queryRaw<CampaignWithMembership[]>`
    SELECT c.id, c.status, c.task_type AS "taskType", c.config, m.status AS "memberStatus", m.pause_reason AS "pauseReason"
    FROM campaigns c LEFT JOIN campaign_members m ON m.campaign_id = c.id AND m.user_id = ${userId}
    WHERE c.id = ${campaignId}::uuid`;
  return row ?? null;
}

/** The user a membership is for, by id or by e-mail. */
export async function findUserByIdOrEmail(who: { userId: string } | { email: string }): Promise<User | null> {
  const prisma = getPrisma();
  return "userId" in who ? prisma.user.findUnique({ where: { id: who.userId } }) : prisma.user.findUnique({ where: { email: who.email } });
}

/** Adds the member, or makes an existing (paused) one active again. */
export async function upsertActiveMembership(tx: PrismaTx, campaignId: string, userId: string): Promise<CampaignMember> {
  return tx.campaignMember.upsert({
    where: { campaignId_userId: { campaignId, userId } },
    create: { campaignId, userId },
    update: { status: "active", pauseReason: null },
  });
}

/** New active members, in one statement. */
export async function insertMemberships(tx: PrismaTx, campaignId: string, userIds: string[]): Promise<void> {
  await tx.campaignMember.createMany({ data: userIds.map((userId) => ({ campaignId, userId })) });
}

export interface MemberWithUser extends CampaignMember {
  user: { email: string; name: string; role: Role };
}

/** A campaign's members with their user's e-mail, name and role, oldest membership first. */
export async function listMembersWithUsers(campaignId: string): Promise<MemberWithUser[]> {
  return getPrisma().campaignMember.findMany({
    where: { campaignId },
    include: { user: { select: { email: true, name: true, role: true } } },
    orderBy: { createdAt: "asc" },
  });
}

/** Human judgments in the campaign per annotator (user id → count). */
export async function countHumanJudgmentsByUser(campaignId: string): Promise<Map<string | null, number>> {
  const counts = await getPrisma().judgment.groupBy({ by: ["userId"], where: { campaignId, source: "human" }, _count: { _all: true } });
  return new Map(counts.map((c) => [c.userId, c._count._all]));
}
