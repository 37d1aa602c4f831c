import { getPrisma, Prisma, type Campaign, type CampaignStatus, type TaskType } from "@arbiter/db";
import { releasingLeases } from "./fragments.ts";
import type { PrismaTx, Tx } from "./transaction.ts";

/** Campaign rows: reads, the row lock that serialises changes, and writes. */

/** The campaign, or null. */
export async function findCampaign(campaignId: string): Promise<Campaign | null> {
  return getPrisma().campaign.findUnique({ where: { id: campaignId } });
}

/** The campaign inside the caller's transaction (after `lockCampaign`: it is there). */
export async function findCampaignOrThrow(tx: PrismaTx, campaignId: string): Promise<Campaign> {
  return tx.campaign.findUniqueOrThrow({ where: { id: campaignId } });
}

/** Takes the campaign's row lock for the rest of the transaction; false when there is no such campaign. */
export async function lockCampaign(tx: Tx, campaignId: string): Promise<boolean> {
  const [locked] = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM campaigns WHERE id = ${campaignId}::uuid FOR UPDATE`;
  return locked !== undefined;
}

/** Takes the campaign's row lock and reads its status; null when there is no such campaign. */
export async function lockCampaignStatus(tx: PrismaTx, campaignId: string): Promise<CampaignStatus | null> {
  const [current] = await tx.$queryRaw<Array<{ status: CampaignStatus }>>`SELECT status FROM campaigns WHERE id = ${campaignId}::uuid FOR UPDATE`;
  return current?.status ?? null;
}

/** Campaigns newest first; with `memberId`, only the active or paused ones that user is a member of. */
export async function listCampaignRows(options: { memberId?: string } = {}): Promise<Campaign[]> {
  return getPrisma().campaign.findMany({
    where: options.memberId !== undefined ? { status: { in: ["active", "paused"] }, members: { some: { userId: options.memberId } } } : {},
    orderBy: { createdAt: "desc" },
  });
}

export interface NewCampaign {
  name: string;
  description?: string | null;
  taskType: TaskType;
  status: CampaignStatus;
  config: unknown;
  configVersion?: number;
  createdById: string;
  duplicatedFromId?: string;
}

export async function insertCampaign(tx: PrismaTx, campaign: NewCampaign): Promise<Campaign> {
  const { config, ...rest } = campaign;
  return tx.campaign.create({ data: { ...rest, config: config as Prisma.InputJsonValue } });
}

/** The fields a campaign update may change; only the keys present are written. */
export interface CampaignChanges {
  name?: string;
  description?: string | null;
  taskType?: TaskType;
  status?: CampaignStatus;
  config?: unknown;
}

export async function saveCampaignChanges(tx: PrismaTx, campaignId: string, changes: CampaignChanges): Promise<void> {
  const { config, ...rest } = changes;
  const data: Prisma.CampaignUpdateInput = { ...rest };
  if ("config" in changes) data.config = config as Prisma.InputJsonValue;
  await tx.campaign.update({ where: { id: campaignId }, data });
}

/** Ends the campaign's open leases (pause, close, a confirmed change): new tasks follow the campaign as it is now. */
export async function expireCampaignLeases(tx: PrismaTx, campaignId: string): Promise<void> {
  await tx.$queryRaw(releasingLeases(Prisma.sql`UPDATE assignments SET status = 'expired' WHERE campaign_id = ${campaignId}::uuid AND status = 'leased'`));
}

/** Judgments of every source in the campaign. */
export async function countCampaignJudgments(tx: PrismaTx, campaignId: string): Promise<number> {
  return tx.judgment.count({ where: { campaignId } });
}

export interface CampaignStartCounts {
  regularItems: number;
  goldItems: number;
  /** Members who may be handed tasks (not paused). */
  activeMembers: number;
  members: number;
}

/** What starting a campaign needs: regular items and members who may work (inside the status change's transaction). */
export async function countCampaignStartRequirements(tx: PrismaTx, campaignId: string): Promise<CampaignStartCounts> {
  const [row] = await tx.$queryRaw<Array<{ regular: bigint; gold: bigint; active_members: bigint; members: bigint }>>`
    SELECT
      (SELECT count(*) FROM items i WHERE i.campaign_id = ${campaignId}::uuid AND NOT i.is_gold) AS regular,
      (SELECT count(*) FROM items i WHERE i.campaign_id = ${campaignId}::uuid AND i.is_gold) AS gold,
      (SELECT count(*) FROM campaign_members m WHERE m.campaign_id = ${campaignId}::uuid AND m.status = 'active') AS active_members,
      (SELECT count(*) FROM campaign_members m WHERE m.campaign_id = ${campaignId}::uuid) AS members`;
  return {
    regularItems: Number(row?.regular ?? 0),
    goldItems: Number(row?.gold ?? 0),
    activeMembers: Number(row?.active_members ?? 0),
    members: Number(row?.members ?? 0),
  };
}
