import { countCampaignProgress } from "../store/items.ts";
import type { CampaignProgress } from "./campaign-view.ts";

/** Progress for many campaigns in two queries. `userId` adds that annotator's own count. */
export async function loadCampaignProgress(campaignIds: string[], userId?: string): Promise<Map<string, CampaignProgress>> {
  const result = new Map<string, CampaignProgress>();
  if (campaignIds.length === 0) return result;
  const rows = await countCampaignProgress(campaignIds, userId);
  for (const row of rows) {
    result.set(row.id, {
      itemCount: row.itemCount,
      goldItemCount: row.goldItemCount,
      itemsComplete: row.itemsComplete,
      humanJudgments: row.humanJudgments,
      judgeJudgments: row.judgeJudgments,
      memberCount: row.memberCount,
      ...(userId ? { mine: row.mine } : {}),
    });
  }
  return result;
}

export const emptyProgress: CampaignProgress = { itemCount: 0, goldItemCount: 0, itemsComplete: 0, humanJudgments: 0, judgeJudgments: 0, memberCount: 0 };
