import { getPrisma } from "@arbiter/db";
import type { JobDb } from "../jobs/job-types.ts";

/** Human judgments of a campaign that prefer something (a pick or a ranking): what a reward model learns from. */
export async function countRewardVotes(options: { campaignId: string; db?: JobDb }): Promise<number> {
  const db = options.db ?? getPrisma();
  const [row] = await db.$queryRaw<Array<{ n: number }>>`
    SELECT count(*)::int AS n FROM judgments
    WHERE campaign_id = ${options.campaignId}::uuid AND source = 'human' AND verdict IN ('winner', 'ranking')`;
  return row?.n ?? 0;
}
