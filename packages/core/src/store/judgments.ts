import { getPrisma, type Prisma, type TaskType } from "@arbiter/db";
import { freeSlots } from "./fragments.ts";
import { db, type PrismaTx, type Tx } from "./transaction.ts";

/**
 * Judgments: storing a human judgment (with its idempotency key), undoing one, and the reads of
 * the judgment browser.
 */

/** What an Idempotency-Key was used for: a stored judgment, or one that was undone (`undone`, the row is gone). */
export interface KeyUse {
  id: string;
  assignmentId: string | null;
  undone: boolean;
}

/** The judgment this annotator stored under `idempotencyKey`, or the undone one the key was spent on. */
export async function findIdempotencyKeyUse(userId: string, idempotencyKey: string, tx: Tx = db()): Promise<KeyUse | undefined> {
  const [previous] = await tx.$queryRaw<KeyUse[]>`
    SELECT id, assignment_id AS "assignmentId", false AS undone FROM judgments WHERE user_id = ${userId} AND idempotency_key = ${idempotencyKey}
    UNION ALL
    SELECT judgment_id, assignment_id, true FROM spent_idempotency_keys WHERE user_id = ${userId} AND idempotency_key = ${idempotencyKey}`;
  return previous;
}

/** What storing a judgment needs to know, read in one statement under the assignment's lock. */
export interface SubmitContext {
  id: string;
  userId: string;
  status: "leased" | "submitted" | "skipped" | "expired";
  candidateOrder: string[];
  leaseRanOut: boolean;
  campaignId: string;
  campaignStatus: string;
  taskType: TaskType;
  config: unknown;
  memberStatus: string | null;
  itemId: string;
  isGold: boolean;
  gold: unknown;
  routing: string;
  responses: Array<{ id: string; content: string; model: string | null; externalId: string }>;
  /** This annotator's judgment stored under the request's Idempotency-Key, or the undone one it was spent on. */
  keyed: KeyUse | null;
}

/**
 * The assignment with its campaign, membership, item and responses, and what the request's key
 * was used for: one statement. Run it after the assignment's lock, as a fresh statement: it sees
 * whatever a concurrent submit of this assignment committed.
 */
export async function readSubmitContext(tx: Tx, assignmentId: string, userId: string, idempotencyKey: string | null): Promise<SubmitContext | undefined> {
  const [assignment] = await tx.$queryRaw<SubmitContext[]>`
    SELECT a.id, a.user_id AS "userId", a.status, a.candidate_order AS "candidateOrder", a.expires_at <= clock_timestamp() AS "leaseRanOut",
           c.id AS "campaignId", c.status AS "campaignStatus", c.task_type AS "taskType", c.config,
           m.status AS "memberStatus",
           i.id AS "itemId", i.is_gold AS "isGold", i.gold, i.routing,
           coalesce((SELECT json_agg(json_build_object('id', r.id, 'content', r.content, 'model', r.model, 'externalId', r.external_id)) FROM responses r WHERE r.item_id = i.id), '[]'::json) AS responses,
           coalesce((SELECT json_build_object('id', k.id, 'assignmentId', k.assignment_id, 'undone', false) FROM judgments k WHERE k.user_id = ${userId} AND k.idempotency_key = ${idempotencyKey}),
                    (SELECT json_build_object('id', s.judgment_id, 'assignmentId', s.assignment_id, 'undone', true) FROM spent_idempotency_keys s WHERE s.user_id = ${userId} AND s.idempotency_key = ${idempotencyKey})) AS keyed
    FROM assignments a
      JOIN campaigns c ON c.id = a.campaign_id
      JOIN items i ON i.id = a.item_id
      LEFT JOIN campaign_members m ON m.campaign_id = a.campaign_id AND m.user_id = a.user_id
    WHERE a.id = ${assignmentId}::uuid`;
  return assignment;
}

/**
 * The row lock of the assignment's item, taken first when a judgment is submitted: in the order
 * the next-task search takes its locks (item, then assignment), and before the lease's expiry is
 * judged. A submit that finds its lease alive must not be overtaken by a next-task transaction
 * that, a moment later, sees the same lease run out and hands its slot to someone else (the item
 * would end over its overlap): the item lock serializes the two.
 */
export async function lockItemOfAssignment(tx: Tx, assignmentId: string): Promise<void> {
  await tx.$queryRaw`SELECT i.id FROM items i WHERE i.id = (SELECT a.item_id FROM assignments a WHERE a.id = ${assignmentId}::uuid) FOR UPDATE OF i`;
}

/**
 * For a lease that ran out: the item's row lock, then (a fresh statement) its free slots — not
 * counting this assignment's own lease — and its routing.
 */
export async function lockItemAndCountFreeSlots(
  tx: Tx,
  itemId: string,
  overlap: number,
  exceptAssignmentId: string,
): Promise<{ free: number; routing: string } | undefined> {
  await tx.$queryRaw`SELECT id FROM items WHERE id = ${itemId}::uuid FOR UPDATE`;
  const [slot] = await tx.$queryRaw<Array<{ free: number; routing: string }>>`
    SELECT ${freeSlots(overlap, exceptAssignmentId)} AS free,
       i.routing
    FROM items i WHERE i.id = ${itemId}::uuid`;
  return slot;
}

/** A human judgment, as submit-judgment stores it (JSON values already serialized or null). */
export interface HumanJudgmentRow {
  campaignId: string;
  itemId: string;
  assignmentId: string;
  userId: string;
  verdict: string;
  winnerId: string | null;
  ranking: string | null;
  strength: number | null;
  rationale: string | null;
  attributes: string | null;
  spans: string | null;
  presentedOrder: string[];
  timeMs: number | null;
  isGold: boolean;
  goldCorrect: boolean | null;
  hintShown: boolean | null;
  hintChangedMind: boolean | null;
  meta: string | null;
  idempotencyKey: string | null;
}

/** The judgment, the assignment's new status and the item's counter: one statement, one transaction. Returns the judgment's id. */
export async function insertHumanJudgment(tx: Tx, j: HumanJudgmentRow): Promise<string> {
  const [stored] = await tx.$queryRaw<Array<{ id: string }>>`
    WITH judgment AS (
      INSERT INTO judgments (campaign_id, item_id, assignment_id, source, user_id, verdict, winner_id, ranking, strength, rationale, attributes, spans,
                             presented_order, time_ms, is_gold, gold_correct, hint_shown, hint_changed_mind, meta, idempotency_key)
      VALUES (${j.campaignId}::uuid, ${j.itemId}::uuid, ${j.assignmentId}::uuid, 'human', ${j.userId}, ${j.verdict}::"Verdict", ${j.winnerId}::uuid,
              ${j.ranking}::jsonb, ${j.strength}::int, ${j.rationale}, ${j.attributes}::jsonb, ${j.spans}::jsonb,
              ${j.presentedOrder}::uuid[], ${j.timeMs}::int, ${j.isGold}, ${j.goldCorrect}::boolean,
              ${j.hintShown}::boolean, ${j.hintChangedMind}::boolean, ${j.meta}::jsonb, ${j.idempotencyKey})
      RETURNING id
    ), leased AS (
      UPDATE assignments SET status = 'submitted', completed_at = now() WHERE id = ${j.assignmentId}::uuid
    ), counted AS (
      UPDATE items SET human_count = human_count + 1 WHERE id = ${j.itemId}::uuid
    )
    SELECT id FROM judgment`;
  return stored!.id;
}

/** A judgment with its campaign, for the undo rules. */
export async function findJudgmentForUndo(tx: PrismaTx, judgmentId: string) {
  return tx.judgment.findUnique({ where: { id: judgmentId }, include: { campaign: true } });
}

/**
 * Deletes an undone judgment and takes its verdict off the item's counter. Its Idempotency-Key
 * stays spent: a late replay of the original request must not store it again.
 */
export async function deleteUndoneJudgment(
  tx: PrismaTx,
  judgment: { id: string; itemId: string; campaignId: string; assignmentId: string; userId: string | null; idempotencyKey: string | null },
): Promise<void> {
  await tx.judgment.delete({ where: { id: judgment.id } });
  if (judgment.idempotencyKey && judgment.userId) {
    await tx.spentIdempotencyKey.create({
      data: {
        userId: judgment.userId,
        idempotencyKey: judgment.idempotencyKey,
        campaignId: judgment.campaignId,
        judgmentId: judgment.id,
        assignmentId: judgment.assignmentId,
      },
    });
  }
  await tx.$executeRaw`UPDATE items SET human_count = greatest(human_count - 1, 0) WHERE id = ${judgment.itemId}::uuid`;
}

/** The users with a judgment in the campaign. */
export async function findJudgingUserIds(campaignId: string): Promise<string[]> {
  const users = await getPrisma().$queryRaw<Array<{ userId: string }>>`
    SELECT DISTINCT user_id AS "userId" FROM judgments WHERE campaign_id = ${campaignId}::uuid AND user_id IS NOT NULL`;
  return users.map((u) => u.userId);
}

/** The judgment browser's filter. */
export interface JudgmentPageFilter {
  campaignId: string;
  source?: "human" | "judge" | "reward_model";
  userIds?: string[];
  itemExternalId?: string;
  since?: Date;
  until?: Date;
  limit: number;
  cursor?: string;
}

/** One page of judgments, newest first, plus one row more when a next page exists. */
export async function listJudgmentPage(filter: JudgmentPageFilter) {
  const where: Prisma.JudgmentWhereInput = {
    campaignId: filter.campaignId,
    ...(filter.source ? { source: filter.source } : {}),
    ...(filter.userIds ? { userId: { in: filter.userIds } } : {}),
    ...(filter.itemExternalId ? { item: { externalId: filter.itemExternalId } } : {}),
    ...(filter.since || filter.until ? { createdAt: { ...(filter.since ? { gte: filter.since } : {}), ...(filter.until ? { lt: filter.until } : {}) } } : {}),
  };
  return getPrisma().judgment.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: filter.limit + 1,
    ...(filter.cursor ? { cursor: { id: filter.cursor }, skip: 1 } : {}),
    include: { item: { select: { externalId: true, responses: { select: { id: true, externalId: true, model: true } } } }, user: { select: { email: true } } },
  });
}

/** The most judgments one item page shows (an item collects its overlap's worth; judges add a few). */
export const ITEM_PAGE_JUDGMENT_LIMIT = 500;

/**
 * One item of a campaign by the id it was imported with: its content, its responses in import
 * order, its judgments oldest first and its skips (at most ITEM_PAGE_JUDGMENT_LIMIT each), with the
 * e-mail of each human judge (the use case decides who may see it). Undefined when the campaign has no such item.
 */
export async function findItemWithJudgments(campaignId: string, externalId: string) {
  const item = await getPrisma().item.findUnique({
    where: { campaignId_externalId: { campaignId, externalId } },
    select: {
      id: true,
      externalId: true,
      prompt: true,
      messages: true,
      media: true,
      metadata: true,
      gold: true,
      isGold: true,
      humanTarget: true,
      humanCount: true,
      routing: true,
      createdAt: true,
      responses: { orderBy: { position: "asc" }, select: { id: true, externalId: true, content: true, model: true, metadata: true } },
    },
  });
  if (!item) return undefined;
  const judgments = await getPrisma().judgment.findMany({
    where: { itemId: item.id },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: ITEM_PAGE_JUDGMENT_LIMIT,
    include: { user: { select: { email: true } } },
  });
  const skips = await getPrisma().assignment.findMany({
    where: { itemId: item.id, status: "skipped" },
    orderBy: [{ completedAt: "asc" }, { id: "asc" }],
    take: ITEM_PAGE_JUDGMENT_LIMIT,
    select: { userId: true, skipReason: true, completedAt: true, candidateOrder: true },
  });
  return { item, judgments, skips };
}
