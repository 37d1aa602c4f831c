import { randomUUID } from "node:crypto";
import { Prisma } from "@arbiter/db";
import type { Tx } from "./transaction.ts";

/** Live battles (battles table) and the item, responses and assignment a finished battle becomes. */

export interface BattleContestantRow {
  candidateId: string;
  name: string;
}

export interface BattleRow {
  id: string;
  campaignId: string;
  userId: string;
  status: "generating" | "ready" | "void";
  prompt: string | null;
  messages: Array<{ role: string; content: string }>;
  contestants: BattleContestantRow[];
  assignmentId: string;
  itemId: string | null;
  voidReason: string | null;
  flagged: boolean;
  flagReasons: unknown;
  createdAt: Date;
  finishedAt: Date | null;
}

const BATTLE_COLUMNS = Prisma.sql`b.id, b.campaign_id AS "campaignId", b.user_id AS "userId", b.status, b.prompt, b.messages, b.contestants,
  b.assignment_id AS "assignmentId", b.item_id AS "itemId", b.void_reason AS "voidReason", b.flagged, b.flag_reasons AS "flagReasons",
  b.created_at AS "createdAt", b.finished_at AS "finishedAt"`;

/** Battles the user started in the campaign since `since` (void ones too: the rate counts attempts). */
export async function countBattlesSince(tx: Tx, campaignId: string, userId: string, since: Date): Promise<number> {
  const [row] = await tx.$queryRaw<Array<{ n: number }>>`
    SELECT count(*)::int AS n FROM battles WHERE campaign_id = ${campaignId}::uuid AND user_id = ${userId} AND created_at > ${since}`;
  return row?.n ?? 0;
}

/** How often each contestant was in a battle that was not void (generating ones count, so simultaneous battles spread out): per pair, per model, in all. */
export async function countBattleExposures(
  tx: Tx,
  campaignId: string,
): Promise<Array<{ kind: "pair" | "model" | "total"; a: string | null; b: string | null; n: number }>> {
  return tx.$queryRaw<Array<{ kind: "pair" | "model" | "total"; a: string | null; b: string | null; n: number }>>`
    WITH shown AS (
      SELECT b.id, name FROM battles b, unnest(b.contestant_names) AS name
      WHERE b.campaign_id = ${campaignId}::uuid AND b.status <> 'void'
    )
    SELECT 'pair' AS kind, x.name AS a, y.name AS b, count(*)::int AS n FROM shown x JOIN shown y ON x.id = y.id AND x.name < y.name GROUP BY x.name, y.name
    UNION ALL
    SELECT 'model', name, NULL, count(DISTINCT id)::int FROM shown GROUP BY name
    UNION ALL
    SELECT 'total', NULL, NULL, count(DISTINCT id)::int FROM shown`;
}

/** Rating beliefs of the contestants that have one (arena_ratings; K-wise arena campaigns keep them). */
export async function findContestantBeliefs(tx: Tx, campaignId: string, names: string[]): Promise<Array<{ model: string; mu: number; sigma: number }>> {
  return tx.$queryRaw<Array<{ model: string; mu: number; sigma: number }>>`
    SELECT model, mu, sigma FROM arena_ratings WHERE campaign_id = ${campaignId}::uuid AND model = ANY(${names}::text[])`;
}

/** A prompt from the campaign's own items (not from battles): the pool free prompts can be replaced by. */
export async function pickPoolPrompt(tx: Tx, campaignId: string, random: number): Promise<{ prompt: string | null; messages: unknown } | null> {
  const [count] = await tx.$queryRaw<Array<{ n: number }>>`
    SELECT count(*)::int AS n FROM items i WHERE i.campaign_id = ${campaignId}::uuid AND NOT i.is_gold
      AND NOT EXISTS (SELECT 1 FROM battles b WHERE b.item_id = i.id)`;
  if (!count || count.n === 0) return null;
  const offset = Math.min(count.n - 1, Math.floor(random * count.n));
  const [row] = await tx.$queryRaw<Array<{ prompt: string | null; messages: unknown }>>`
    SELECT i.prompt, i.messages FROM items i WHERE i.campaign_id = ${campaignId}::uuid AND NOT i.is_gold
      AND NOT EXISTS (SELECT 1 FROM battles b WHERE b.item_id = i.id)
    ORDER BY i.position OFFSET ${offset}::int LIMIT 1`;
  return row ?? null;
}

/** The user's latest ready battle in the campaign, with its responses (to continue its conversation). */
export async function findLastReadyBattle(
  tx: Tx,
  campaignId: string,
  userId: string,
): Promise<(BattleRow & { responses: Array<{ id: string; content: string }> }) | null> {
  const [row] = await tx.$queryRaw<Array<BattleRow & { responses: Array<{ id: string; content: string }> }>>`
    SELECT b.id, b.messages, b.contestants, b.item_id AS "itemId",
      coalesce((SELECT json_agg(json_build_object('id', r.id, 'content', r.content)) FROM responses r WHERE r.item_id = b.item_id), '[]') AS responses
    FROM battles b WHERE b.campaign_id = ${campaignId}::uuid AND b.user_id = ${userId} AND b.status = 'ready'
    ORDER BY b.created_at DESC LIMIT 1`;
  return row ?? null;
}

export async function insertBattle(
  tx: Tx,
  battle: {
    campaignId: string;
    userId: string;
    prompt: string | null;
    messages: Array<{ role: string; content: string }>;
    contestants: BattleContestantRow[];
    continuesId: string | null;
  },
): Promise<{ id: string; assignmentId: string }> {
  const assignmentId = randomUUID();
  const [row] = await tx.$queryRaw<Array<{ id: string }>>`
    INSERT INTO battles (campaign_id, user_id, prompt, messages, contestants, contestant_names, assignment_id, continues_id)
    VALUES (${battle.campaignId}::uuid, ${battle.userId}, ${battle.prompt}, ${JSON.stringify(battle.messages)}::jsonb, ${JSON.stringify(battle.contestants)}::jsonb,
      ${battle.contestants.map((c) => c.name)}::text[], ${assignmentId}::uuid, ${battle.continuesId}::uuid)
    RETURNING id`;
  return { id: row!.id, assignmentId };
}

export async function findBattle(tx: Tx, battleId: string): Promise<BattleRow | null> {
  const [row] = await tx.$queryRaw<BattleRow[]>`SELECT ${BATTLE_COLUMNS} FROM battles b WHERE b.id = ${battleId}::uuid`;
  return row ?? null;
}

export async function findBattleByAssignment(tx: Tx, assignmentId: string): Promise<BattleRow | null> {
  const [row] = await tx.$queryRaw<BattleRow[]>`SELECT ${BATTLE_COLUMNS} FROM battles b WHERE b.assignment_id = ${assignmentId}::uuid`;
  return row ?? null;
}

/** A ready battle's answers as stored (response id = candidate id). */
export async function findBattleResponses(tx: Tx, itemId: string): Promise<Array<{ id: string; content: string; metadata: unknown }>> {
  return tx.$queryRaw<Array<{ id: string; content: string; metadata: unknown }>>`
    SELECT r.id, r.content, r.metadata FROM responses r WHERE r.item_id = ${itemId}::uuid ORDER BY r.position`;
}

/** Voids a battle still generating; false when it had already finished one way or the other. */
export async function voidBattle(tx: Tx, battleId: string, reason: string): Promise<boolean> {
  const changed = await tx.$executeRaw`
    UPDATE battles SET status = 'void', void_reason = ${reason}, finished_at = now() WHERE id = ${battleId}::uuid AND status = 'generating'`;
  return changed > 0;
}

/** Locks a battle still generating (the completion's first statement); null when it is not generating any more. */
export async function lockGeneratingBattle(tx: Tx, battleId: string): Promise<BattleRow | null> {
  const [row] = await tx.$queryRaw<BattleRow[]>`SELECT ${BATTLE_COLUMNS} FROM battles b WHERE b.id = ${battleId}::uuid AND b.status = 'generating' FOR UPDATE`;
  return row ?? null;
}

export interface FinishedBattleItem {
  battle: BattleRow;
  leaseExpiresAt: Date;
  itemMetadata: Record<string, unknown>;
  responses: Array<{ candidateId: string; content: string; model: string; metadata: Record<string, unknown> }>;
  flagReasons: unknown[];
}

/**
 * A finished battle becomes an ordinary item of its campaign — prompt, responses with the
 * contestants' names as `model`, one human judgment wanted — with the annotator's lease on it
 * (candidates in the order streamed), and the battle turns ready: all in the caller's transaction.
 */
export async function insertBattleItem(tx: Tx, finished: FinishedBattleItem): Promise<string> {
  const { battle } = finished;
  const itemId = randomUUID();
  await tx.$executeRaw`
    INSERT INTO items (id, campaign_id, external_id, position, prompt, messages, metadata, human_target)
    SELECT ${itemId}::uuid, ${battle.campaignId}::uuid, ${`battle-${battle.id}`}, coalesce(max(position) + 1, 0), ${battle.prompt},
      ${battle.prompt === null ? JSON.stringify(battle.messages) : null}::jsonb, ${JSON.stringify(finished.itemMetadata)}::jsonb, 1
    FROM items WHERE campaign_id = ${battle.campaignId}::uuid`;
  const ids = finished.responses.map((r) => r.candidateId);
  await tx.$executeRaw`
    INSERT INTO responses (id, item_id, external_id, position, content, model, metadata)
    SELECT r.id, ${itemId}::uuid, r.id::text, r.position - 1, r.content, r.model, r.metadata
    FROM unnest(${ids}::uuid[], ${finished.responses.map((r) => r.content)}::text[], ${finished.responses.map((r) => r.model)}::text[],
      ${finished.responses.map((r) => JSON.stringify(r.metadata))}::jsonb[]) WITH ORDINALITY AS r(id, content, model, metadata, position)`;
  await tx.$executeRaw`
    INSERT INTO assignments (id, campaign_id, item_id, user_id, status, candidate_order, is_gold, leased_at, expires_at)
    VALUES (${battle.assignmentId}::uuid, ${battle.campaignId}::uuid, ${itemId}::uuid, ${battle.userId}, 'leased', ${ids}::uuid[], false, now(), ${finished.leaseExpiresAt})`;
  await tx.$executeRaw`
    UPDATE battles SET status = 'ready', item_id = ${itemId}::uuid, finished_at = now(), flagged = ${finished.flagReasons.length > 0},
      flag_reasons = ${finished.flagReasons.length > 0 ? JSON.stringify(finished.flagReasons) : null}::jsonb
    WHERE id = ${battle.id}::uuid`;
  return itemId;
}

/** Per contestant: ready battles it was in, and how many of those were flagged. */
export async function countBattlesPerModel(tx: Tx, campaignId: string): Promise<Array<{ model: string; battles: number; flagged: number; voted: number }>> {
  return tx.$queryRaw<Array<{ model: string; battles: number; flagged: number; voted: number }>>`
    SELECT name AS model, count(*)::int AS battles, count(*) FILTER (WHERE b.flagged)::int AS flagged,
      count(*) FILTER (WHERE EXISTS (SELECT 1 FROM judgments j WHERE j.item_id = b.item_id AND j.source = 'human'))::int AS voted
    FROM battles b, unnest(b.contestant_names) AS name
    WHERE b.campaign_id = ${campaignId}::uuid AND b.status = 'ready'
    GROUP BY name ORDER BY name`;
}

/** Items of flagged battles (left out of the leaderboard unless asked for). */
export async function findFlaggedBattleItemIds(tx: Tx, campaignId: string): Promise<string[]> {
  const rows = await tx.$queryRaw<Array<{ itemId: string }>>`
    SELECT b.item_id AS "itemId" FROM battles b WHERE b.campaign_id = ${campaignId}::uuid AND b.status = 'ready' AND b.flagged`;
  return rows.map((r) => r.itemId);
}
