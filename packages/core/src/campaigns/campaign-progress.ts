import { getPrisma } from "@arbiter/db";
import type { CampaignProgress } from "./campaign-view.ts";

/** Progress for many campaigns in two queries. `userId` adds that annotator's own count. */
export async function loadCampaignProgress(campaignIds: string[], userId?: string): Promise<Map<string, CampaignProgress>> {
  const prisma = getPrisma();
  const result = new Map<string, CampaignProgress>();
  if (campaignIds.length === 0) return result;
  const rows = await prisma.$queryRaw<Array<{ id: string; item_count: bigint; items_complete: bigint; human: bigint; judge: bigint; members: bigint; mine: bigint }>>`
    SELECT c.id,
      (SELECT count(*) FROM items i WHERE i.campaign_id = c.id) AS item_count,
      (SELECT count(*) FROM items i WHERE i.campaign_id = c.id
         AND (i.routing = 'judge' AND i.judge_count > 0
              OR i.routing <> 'judge' AND i.human_count >= coalesce(i.human_target, (c.config->>'overlap')::int))) AS items_complete,
      (SELECT count(*) FROM judgments j WHERE j.campaign_id = c.id AND j.source = 'human') AS human,
      (SELECT count(*) FROM judgments j WHERE j.campaign_id = c.id AND j.source = 'judge') AS judge,
      (SELECT count(*) FROM campaign_members m WHERE m.campaign_id = c.id) AS members,
      (SELECT count(*) FROM judgments j WHERE j.campaign_id = c.id AND j.user_id = ${userId ?? ""}) AS mine
    FROM campaigns c WHERE c.id = ANY(${campaignIds}::uuid[])`;
  for (const row of rows) {
    result.set(row.id, {
      itemCount: Number(row.item_count),
      itemsComplete: Number(row.items_complete),
      humanJudgments: Number(row.human),
      judgeJudgments: Number(row.judge),
      memberCount: Number(row.members),
      ...(userId ? { mine: Number(row.mine) } : {}),
    });
  }
  return result;
}

export const emptyProgress: CampaignProgress = { itemCount: 0, itemsComplete: 0, humanJudgments: 0, judgeJudgments: 0, memberCount: 0 };
