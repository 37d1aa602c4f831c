import { getPrisma } from "@arbiter/db";
import type { Prisma } from "@arbiter/db";
import type { PrismaTx, Tx } from "./transaction.ts";

/**
 * Reward models: their stored versions and weights, and the human votes they learn from.
 */

/**
 * Human judgments of a campaign that prefer something (a pick or a ranking): what a reward
 * model learns from. In the caller's transaction when `tx` is given (the job queue's), else on
 * the shared client.
 */
export async function countPreferenceVotes(campaignId: string, tx?: Tx): Promise<number> {
  const db = tx ?? getPrisma();
  const [row] = await db.$queryRaw<Array<{ n: number }>>`
    SELECT count(*)::int AS n FROM judgments
    WHERE campaign_id = ${campaignId}::uuid AND source = 'human' AND verdict IN ('winner', 'ranking')`;
  return row?.n ?? 0;
}

/** The campaign's newest human judgments that prefer something (at most `take`), newest first. */
export function findPreferenceJudgments(campaignId: string, take: number) {
  return getPrisma().judgment.findMany({
    where: { campaignId, source: "human", verdict: { in: ["winner", "ranking"] } },
    select: { itemId: true, verdict: true, winnerId: true, ranking: true, presentedOrder: true },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take,
  });
}

/** Items with their prompt, messages and responses' texts, for turning votes into preference pairs. */
export function findItemsForRewardPairs(itemIds: string[]) {
  return getPrisma().item.findMany({
    where: { id: { in: itemIds } },
    select: { id: true, prompt: true, messages: true, responses: { select: { id: true, content: true } } },
  });
}

/**
 * What a campaign's hints use: its `rewardModel`, `hintGate`, `hintControlShare` and `hintSource` config and
 * its 20 newest trained versions' numbers and metrics (newest first, no weights), in one small
 * query (tasks read it, cached, on every hand-out).
 */
export async function findRewardModelSource(campaignId: string): Promise<
  | {
      source: unknown;
      hintGate: string | null;
      hintControlShare: unknown;
      hintSource: string | null;
      versions: Array<{ version: number; metrics: unknown }>;
    }
  | undefined
> {
  const [row] = await getPrisma().$queryRaw<
    Array<{ source: unknown; hintGate: string | null; hintControlShare: unknown; hintSource: string | null; versions: unknown }>
  >`
    SELECT c.config -> 'rewardModel' AS source, c.config ->> 'hintGate' AS "hintGate", c.config -> 'hintControlShare' AS "hintControlShare",
           c.config ->> 'hintSource' AS "hintSource",
           (SELECT coalesce(json_agg(json_build_object('version', v.version, 'metrics', v.metrics) ORDER BY v.version DESC), '[]'::json)
              FROM (SELECT version, metrics FROM reward_model_versions WHERE campaign_id = c.id ORDER BY version DESC LIMIT 20) v) AS versions
    FROM campaigns c WHERE c.id = ${campaignId}::uuid`;
  if (!row) return undefined;
  const versions = (typeof row.versions === "string" ? JSON.parse(row.versions) : row.versions) as Array<{ version: number; metrics: unknown }>;
  return { source: row.source, hintGate: row.hintGate, hintControlShare: row.hintControlShare, hintSource: row.hintSource, versions: versions ?? [] };
}

export interface RewardModelVersionRow {
  version: number;
  format: string;
  trainedOnVotes: number;
  heldOutAccuracy: number | null;
  metrics: unknown;
  createdAt: Date;
  bytes: number;
}

/** The campaign's 20 newest versions, newest first, with the size of their weights but not the weights. */
export function listRecentRewardModelVersions(campaignId: string): Promise<RewardModelVersionRow[]> {
  return getPrisma().$queryRaw<RewardModelVersionRow[]>`
    SELECT version, format, trained_on_votes AS "trainedOnVotes", held_out_accuracy AS "heldOutAccuracy", metrics,
           created_at AS "createdAt", octet_length(weights)::int AS bytes
    FROM reward_model_versions WHERE campaign_id = ${campaignId}::uuid ORDER BY version DESC LIMIT 20`;
}

/** The id and number of one version (`version`), or of the latest when null — without its bytes. */
export function findRewardModelVersionHead(campaignId: string, version: number | null) {
  return getPrisma().rewardModelVersion.findFirst({
    where: { campaignId, ...(version === null ? {} : { version }) },
    orderBy: { version: "desc" },
    select: { id: true, version: true },
  });
}

/** The weights (ARM1 bytes) of one version, by row id. */
export async function findRewardModelWeights(id: string): Promise<Uint8Array> {
  const row = await getPrisma().rewardModelVersion.findUniqueOrThrow({ where: { id }, select: { weights: true } });
  return row.weights;
}

/** The config of a campaign about to train (null: the campaign is gone). */
export function findCampaignConfigForTraining(campaignId: string) {
  return getPrisma().campaign.findUnique({ where: { id: campaignId }, select: { config: true } });
}

/** The campaign's latest version: its number and the votes it was trained on (in `tx` when given). */
export function findLatestRewardModelVersion(campaignId: string, tx?: PrismaTx) {
  return (tx ?? getPrisma()).rewardModelVersion.findFirst({
    where: { campaignId },
    orderBy: { version: "desc" },
    select: { version: true, trainedOnVotes: true },
  });
}

/** Serializes version writes of one campaign until `tx` ends, so two runs never take the same version number. */
export async function lockRewardModelVersions(tx: PrismaTx, campaignId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`reward-model:${campaignId}`}))`;
}

/** Stores one version (ARM1 weights) and returns it without its bytes. */
export function insertRewardModelVersion(
  tx: PrismaTx,
  data: { campaignId: string; version: number; weights: Uint8Array; trainedOnVotes: number; heldOutAccuracy: number | null; metrics: Prisma.InputJsonValue },
) {
  return tx.rewardModelVersion.create({
    data: {
      campaignId: data.campaignId,
      version: data.version,
      format: "ARM1",
      weights: data.weights as Uint8Array<ArrayBuffer>,
      trainedOnVotes: data.trainedOnVotes,
      heldOutAccuracy: data.heldOutAccuracy,
      metrics: data.metrics,
    },
    select: { version: true, format: true, trainedOnVotes: true, heldOutAccuracy: true, metrics: true, createdAt: true },
  });
}

/** A campaign's human pairwise-style judgments with their hint arm and what the page reported, for the "hint influence" panel. */
export function findHintInfluenceJudgments(campaignId: string) {
  return getPrisma().$queryRaw<
    Array<{
      itemId: string;
      userId: string | null;
      verdict: string;
      winnerId: string | null;
      condition: string | null;
      shown: boolean | null;
      changedMind: boolean | null;
      agreed: string | null;
      hintSource: string | null;
    }>
  >`
    SELECT item_id AS "itemId", user_id AS "userId", verdict::text AS verdict, winner_id AS "winnerId", meta ->> 'hintCondition' AS condition,
           meta ->> 'hintSource' AS "hintSource",
           hint_shown AS shown, hint_changed_mind AS "changedMind", meta -> 'hint' ->> 'agreed' AS agreed
    FROM judgments
    WHERE campaign_id = ${campaignId}::uuid AND source = 'human' AND verdict IN ('winner', 'tie', 'both_bad')
    ORDER BY created_at, id`;
}
