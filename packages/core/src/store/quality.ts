import { getPrisma, Prisma } from "@arbiter/db";
import type { JudgmentSource } from "@arbiter/db";
import { humanTarget, LIVE_LEASE, releasingLeases } from "./fragments.ts";
import type { PrismaTx, Tx } from "./transaction.ts";

/**
 * Quality: the reads behind stats, series and leaderboards, and the membership changes of the
 * pause rules (an admin's pause/resume, the gold-pause policy). Membership writes here take a
 * `Tx`, which a Prisma transaction satisfies too (an admin's change runs in one).
 */

// ——— Quality data (agreement, reliability, leaderboards) ———

/** Every item of a campaign with its responses in import order; their contents only when asked for (style control). */
export function listQualityItems(campaignId: string, withContent: boolean) {
  return getPrisma().item.findMany({
    where: { campaignId },
    select: {
      id: true,
      externalId: true,
      isGold: true,
      responses: { select: { id: true, position: true, model: true, ...(withContent ? { content: true } : {}) }, orderBy: { position: "asc" } },
    },
  });
}

/** Every judgment of the given sources in a campaign, oldest first. */
export function listQualityJudgments(campaignId: string, sources: JudgmentSource[]) {
  return getPrisma().judgment.findMany({
    where: { campaignId, source: { in: sources } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      itemId: true,
      source: true,
      userId: true,
      judgeModel: true,
      verdict: true,
      winnerId: true,
      ranking: true,
      strength: true,
      attributes: true,
      presentedOrder: true,
      timeMs: true,
      isGold: true,
      goldCorrect: true,
      createdAt: true,
    },
  });
}

// ——— Stats ———

export interface CampaignCounts {
  items: bigint;
  goldItems: bigint;
  itemsComplete: bigint;
  human: bigint;
  judge: bigint;
  rewardModel: bigint;
  skipped: bigint;
  openLeases: bigint;
}

/** The campaign's progress counts in one statement. */
export async function countCampaignProgress(campaignId: string): Promise<CampaignCounts | undefined> {
  const [row] = await getPrisma().$queryRaw<CampaignCounts[]>`
      SELECT
        (SELECT count(*) FROM items i WHERE i.campaign_id = c.id) AS items,
        (SELECT count(*) FROM items i WHERE i.campaign_id = c.id AND i.is_gold) AS "goldItems",
        (SELECT count(*) FROM items i WHERE i.campaign_id = c.id
           AND (i.routing = 'judge' AND i.judge_count > 0
                OR i.routing <> 'judge' AND i.human_count >= coalesce(i.human_target, (c.config->>'overlap')::int))) AS "itemsComplete",
        (SELECT count(*) FROM judgments j WHERE j.campaign_id = c.id AND j.source = 'human') AS human,
        (SELECT count(*) FROM judgments j WHERE j.campaign_id = c.id AND j.source = 'judge') AS judge,
        (SELECT count(*) FROM judgments j WHERE j.campaign_id = c.id AND j.source = 'reward_model') AS "rewardModel",
        (SELECT count(*) FROM assignments a WHERE a.campaign_id = c.id AND a.status = 'skipped') AS skipped,
        (SELECT count(*) FROM assignments a WHERE a.campaign_id = c.id AND ${LIVE_LEASE}) AS "openLeases"
      FROM campaigns c WHERE c.id = ${campaignId}::uuid`;
  return row;
}

/** The campaign's members with their status and email. */
export function listMembersWithEmail(campaignId: string) {
  return getPrisma().campaignMember.findMany({
    where: { campaignId },
    select: { userId: true, status: true, pauseReason: true, user: { select: { email: true } } },
  });
}

/** Emails of users by id. */
export function findUserEmails(userIds: string[]) {
  return getPrisma().user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } });
}

// ——— Series ———

export type SeriesBucket = "hour" | "day" | "week";

/** The first and last human or judge judgment of a campaign. */
export async function findJudgmentSpan(campaignId: string): Promise<{ first: Date | null; last: Date | null } | undefined> {
  const [span] = await getPrisma().$queryRaw<Array<{ first: Date | null; last: Date | null }>>`
    SELECT min(created_at) AS first, max(created_at) AS last FROM judgments WHERE campaign_id = ${campaignId}::uuid AND source IN ('human', 'judge')`;
  return span;
}

/** Human and judge judgments per bucket and source. */
export function countJudgmentsPerBucket(campaignId: string, bucket: SeriesBucket) {
  return getPrisma().$queryRaw<Array<{ t: Date; source: string; n: bigint }>>`
      SELECT date_trunc(${bucket}::text, created_at) AS t, source::text AS source, count(*) AS n
      FROM judgments WHERE campaign_id = ${campaignId}::uuid AND source IN ('human', 'judge') GROUP BY 1, 2`;
}

/**
 * Items completed per bucket: a human-routed item when it got its wanted human judgment (the
 * campaign's `overlap` unless the item sets its own), a judge-routed one at its first verdict.
 */
export function countCompletedItemsPerBucket(campaignId: string, bucket: SeriesBucket, overlap: number) {
  return getPrisma().$queryRaw<Array<{ t: Date; n: bigint }>>`
      WITH ranked AS (
        SELECT j.item_id, j.created_at, row_number() OVER (PARTITION BY j.item_id ORDER BY j.created_at, j.id) AS n
        FROM judgments j WHERE j.campaign_id = ${campaignId}::uuid AND j.source = 'human'
      ), judged AS (
        SELECT j.item_id, min(j.created_at) AS created_at FROM judgments j WHERE j.campaign_id = ${campaignId}::uuid AND j.source = 'judge' GROUP BY j.item_id
      )
      SELECT date_trunc(${bucket}::text, done) AS t, count(*) AS n FROM (
        SELECT r.created_at AS done FROM ranked r JOIN items i ON i.id = r.item_id
          WHERE i.routing <> 'judge' AND r.n = ${humanTarget(overlap)}
        UNION ALL
        SELECT d.created_at FROM judged d JOIN items i ON i.id = d.item_id WHERE i.routing = 'judge'
      ) completed GROUP BY 1`;
}

/** Each annotator's human judgments per bucket, oldest bucket first. */
export function countAnnotatorJudgmentsPerBucket(campaignId: string, bucket: SeriesBucket) {
  return getPrisma().$queryRaw<Array<{ t: Date; userId: string; n: bigint }>>`
      SELECT date_trunc(${bucket}::text, created_at) AS t, user_id AS "userId", count(*) AS n
      FROM judgments WHERE campaign_id = ${campaignId}::uuid AND source = 'human' AND user_id IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`;
}

// ——— Leaderboard ———

/** The arena's stored ratings of a campaign. */
export function listArenaRatings(campaignId: string) {
  return getPrisma().arenaRating.findMany({ where: { campaignId } });
}

/** Human judgments that rank something (all but "both bad"): the arena's comparisons. */
export function countArenaComparisons(campaignId: string): Promise<number> {
  return getPrisma().judgment.count({ where: { campaignId, source: "human", verdict: { not: "both_bad" } } });
}

// ——— Membership status (admin pause/resume, gold-pause policy) ———

/** The member's status, its row locked until `tx` ends (undefined: not a member). */
export async function lockMemberStatus(tx: Tx, campaignId: string, userId: string): Promise<"active" | "paused" | undefined> {
  const [member] = await tx.$queryRaw<Array<{ status: "active" | "paused" }>>`
      SELECT status FROM campaign_members WHERE campaign_id = ${campaignId}::uuid AND user_id = ${userId} FOR UPDATE`;
  return member?.status;
}

/** Sets a member's status and pause reason; returns the member with their email. */
export async function updateMemberStatus(
  tx: PrismaTx,
  options: { campaignId: string; userId: string; status: "active" | "paused"; pauseReason: string | null },
) {
  const updated = await tx.campaignMember.update({
    where: { campaignId_userId: { campaignId: options.campaignId, userId: options.userId } },
    data: { status: options.status, pauseReason: options.pauseReason },
    include: { user: { select: { email: true } } },
  });
  return { campaignId: updated.campaignId, userId: updated.userId, email: updated.user.email, status: updated.status, pauseReason: updated.pauseReason };
}

/** Pauses a member (the assignment engine then hands them nothing), with the reason shown to admins. */
export async function pauseMember(tx: Tx, campaignId: string, userId: string, pauseReason: string): Promise<void> {
  await tx.$executeRaw`UPDATE campaign_members SET status = 'paused', pause_reason = ${pauseReason} WHERE campaign_id = ${campaignId}::uuid AND user_id = ${userId}`;
}

/** Releases the member's open leases in the campaign to others. */
export async function expireMemberLeases(tx: Tx, campaignId: string, userId: string): Promise<void> {
  await tx.$queryRaw(
    releasingLeases(
      Prisma.sql`UPDATE assignments SET status = 'expired' WHERE campaign_id = ${campaignId}::uuid AND user_id = ${userId} AND status = 'leased'`,
    ),
  );
}

/**
 * The member's status and their human gold judgments (scored) made since an admin last resumed
 * them (the latest `resumedAction` audit entry): how many, and how many were correct. One
 * statement, in the judgment's transaction.
 */
export async function tallyGoldSinceResume(
  tx: Tx,
  options: { campaignId: string; userId: string; resumedAction: string },
): Promise<{ memberStatus: string | null; total: number; correct: number } | undefined> {
  const { campaignId, userId, resumedAction } = options;
  const [tally] = await tx.$queryRaw<Array<{ memberStatus: string | null; total: number; correct: number }>>`
    WITH resumed AS (
      SELECT max(created_at) AS at FROM audit_log WHERE campaign_id = ${campaignId}::uuid AND action = ${resumedAction} AND target_id = ${userId}
    )
    SELECT (SELECT status::text FROM campaign_members WHERE campaign_id = ${campaignId}::uuid AND user_id = ${userId}) AS "memberStatus",
           count(j.id)::int AS total, count(j.id) FILTER (WHERE j.gold_correct)::int AS correct
    FROM resumed LEFT JOIN judgments j
      ON j.campaign_id = ${campaignId}::uuid AND j.user_id = ${userId} AND j.source = 'human' AND j.is_gold AND j.gold_correct IS NOT NULL
         AND (resumed.at IS NULL OR j.created_at > resumed.at)`;
  return tally;
}
