import { getPrisma } from "@arbiter/db";
import { ITEM_COMPLETE } from "./fragments.ts";

/** What one annotator's progress in one campaign is computed from (annotation/my-progress.ts). */
export interface AnnotatorProgressCounts {
  /** Their human judgments in the campaign (gold included: an annotator is never told which were gold). */
  judged: number;
  judgedGold: number;
  activeMembers: number;
  /** Regular items that humans label (not routed to the judge). */
  humanItems: number;
  /** Human verdicts those items want in all (each item's target, else the overlap). */
  humanSlots: number;
  goldItems: number;
  /** Regular human items still short of verdicts that this annotator has neither judged nor skipped. */
  openForMe: number;
  /** Gold items this annotator has neither judged nor skipped. */
  goldOpenForMe: number;
  /** Median of their judgments' active time (`time_ms`), null before the first timed one. */
  medianMs: number | null;
}

export async function countAnnotatorProgress(campaignId: string, userId: string): Promise<AnnotatorProgressCounts | null> {
  const rows = await getPrisma().$queryRaw<
    Array<{
      judged: bigint;
      judged_gold: bigint;
      members: bigint;
      human_items: bigint;
      human_slots: bigint;
      gold_items: bigint;
      open_for_me: bigint;
      gold_open_for_me: bigint;
      median_ms: number | null;
    }>
  >`
    SELECT
      (SELECT count(*) FROM judgments j WHERE j.campaign_id = c.id AND j.source = 'human' AND j.user_id = ${userId}) AS judged,
      (SELECT count(*) FROM judgments j WHERE j.campaign_id = c.id AND j.source = 'human' AND j.user_id = ${userId} AND j.is_gold) AS judged_gold,
      (SELECT count(*) FROM campaign_members m WHERE m.campaign_id = c.id AND m.status = 'active') AS members,
      (SELECT count(*) FROM items i WHERE i.campaign_id = c.id AND NOT i.is_gold AND i.routing <> 'judge') AS human_items,
      (SELECT coalesce(sum(coalesce(i.human_target, (c.config->>'overlap')::int)), 0) FROM items i
        WHERE i.campaign_id = c.id AND NOT i.is_gold AND i.routing <> 'judge') AS human_slots,
      (SELECT count(*) FROM items i WHERE i.campaign_id = c.id AND i.is_gold) AS gold_items,
      (SELECT count(*) FROM items i WHERE i.campaign_id = c.id AND NOT i.is_gold AND i.routing <> 'judge' AND NOT ${ITEM_COMPLETE}
        AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.item_id = i.id AND a.user_id = ${userId} AND a.status IN ('submitted', 'skipped'))) AS open_for_me,
      (SELECT count(*) FROM items i WHERE i.campaign_id = c.id AND i.is_gold
        AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.item_id = i.id AND a.user_id = ${userId} AND a.status IN ('submitted', 'skipped'))) AS gold_open_for_me,
      (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY j.time_ms) FROM judgments j
        WHERE j.campaign_id = c.id AND j.source = 'human' AND j.user_id = ${userId} AND j.time_ms > 0) AS median_ms
    FROM campaigns c WHERE c.id = ${campaignId}::uuid`;
  const row = rows[0];
  if (!row) return null;
  return {
    judged: Number(row.judged),
    judgedGold: Number(row.judged_gold),
    activeMembers: Number(row.members),
    humanItems: Number(row.human_items),
    humanSlots: Number(row.human_slots),
    goldItems: Number(row.gold_items),
    openForMe: Number(row.open_for_me),
    goldOpenForMe: Number(row.gold_open_for_me),
    medianMs: row.median_ms === null ? null : Number(row.median_ms),
  };
}
