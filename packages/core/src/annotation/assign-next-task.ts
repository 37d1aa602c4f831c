import { advisoryLockKey, getRawDb, Prisma, rawTransaction, type RawDb } from "@arbiter/db";
import { requireActor, type Actor } from "../access/actor.ts";
import { assertCampaignAnnotatable, isUuid } from "../access/campaign-access.ts";
import { AppError } from "../errors.ts";
import { comparisonKind, type CampaignConfig } from "../campaigns/campaign-config.ts";
import { toTaskView, type TaskView } from "./task-view.ts";
import { pickArenaCandidates } from "../arena/pick-arena-candidates.ts";
import { attachRewardModel } from "../reward/attach-reward-model.ts";

/**
 * The next task for an annotator: their open lease if they have one, else an item of an
 * active campaign that still needs human judgments and that they have not judged or skipped.
 * Overlap holds exactly under concurrency: candidate items are locked with SKIP LOCKED and
 * their free slots re-counted under the lock before a lease is written.
 */
export async function assignNextTask(options: { actor: Actor | null; campaignId: string; random?: () => number; exclude?: string[] }): Promise<TaskView | null> {
  const actor = requireActor(options.actor);
  const db = getRawDb();
  const campaign = await assertCampaignAnnotatable(db, actor, options.campaignId);
  if (actor.role !== "annotator" && actor.role !== "admin") throw new AppError("forbidden", "Only annotators can take tasks.");
  if (campaign.status !== "active") throw new AppError("conflict", `This campaign is ${campaign.status}; no tasks are handed out.`);
  const config = campaign.config as CampaignConfig;
  const random = options.random ?? Math.random;

  // `exclude` lets the page prefetch: it holds the task on screen and asks for the one after.
  const exclude = (options.exclude ?? []).filter(isUuid).slice(0, 5);
  const wantGold = config.goldRate > 0 && random() < config.goldRate;
  await sweepExpiredLeases(db, campaign.id);
  type Lease = { assignmentId: string; candidateOrder: string[]; expiresAt: Date; item: TaskItem } | null | "busy";
  let lease: Lease = "busy";
  // "busy": every item with room was locked by other annotators' transactions at that instant;
  // those last milliseconds, so try again rather than answer "nothing left".
  for (let attempt = 0; lease === "busy" && attempt < 40; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * Math.min(attempt, 5)));
    // One lease at a time per annotator and campaign, even with two tabs asking at once: the lock goes out with BEGIN.
    const prelude = `SELECT pg_advisory_xact_lock(${memberLeaseLockKey(actor.userId, campaign.id)})`;
    lease = await rawTransaction(async (tx): Promise<Lease> => {
      // The member's search mark, moved past what they have done since (see advanceScanFrom), and
      // their open lease if any: one statement.
      const [state] = await tx.$queryRaw<Array<{ id: string | null; candidateOrder: string[]; expiresAt: Date; item: TaskItem; scanFrom: number | null }>>`
        WITH mark AS (${advanceScanFrom(campaign.id, actor.userId)})
        SELECT a.id, a.candidate_order AS "candidateOrder", a.expires_at AS "expiresAt", ${taskItemJson(Prisma.sql`a.item_id`)} AS item,
               coalesce((SELECT scan_from FROM mark),
                        (SELECT m.scan_from FROM campaign_members m WHERE m.campaign_id = ${campaign.id}::uuid AND m.user_id = ${actor.userId})) AS "scanFrom"
        FROM (SELECT 1) AS one LEFT JOIN LATERAL (
          SELECT a.id, a.candidate_order, a.expires_at, a.item_id FROM assignments a
          WHERE a.user_id = ${actor.userId} AND a.campaign_id = ${campaign.id}::uuid AND a.status = 'leased' AND a.expires_at > now()
            AND NOT (a.id = ANY(${exclude}::uuid[])) ORDER BY a.leased_at LIMIT 1) a ON true`;
      if (state?.id) return { assignmentId: state.id, candidateOrder: state.candidateOrder, expiresAt: state.expiresAt, item: state.item };
      let item: TaskItem | null | "busy" = wantGold ? await lockGoldItem(tx, campaign.id, actor.userId, exclude) : null;
      item ??= await lockRegularItem(tx, campaign.id, actor.userId, config, exclude, state?.scanFrom ?? -1);
      if (item === "busy") return "busy";
      if (!item) return null;
      const responses = item.responses;
      const count = comparisonKind(campaign.taskType, config) === "pairwise" ? 2 : Math.min(config.k, responses.length);
      // Arena campaigns choose which K models to show (K-Sort Arena matchmaking); others show a random K.
      const order = config.arena?.enabled ? await pickArenaCandidates(tx, { campaignId: campaign.id, responses, k: count, random }) : shuffle(responses.map((r) => r.id), random).slice(0, count);
      const expiresAt = new Date(Date.now() + config.leaseMinutes * 60_000);
      // A lease that ran out (status still 'leased', expiry past) or was released is reused for the same pair.
      const rows = await tx.$queryRaw<Array<{ id: string }>>`
        INSERT INTO assignments (campaign_id, item_id, user_id, status, candidate_order, is_gold, leased_at, expires_at)
        VALUES (${campaign.id}::uuid, ${item.id}::uuid, ${actor.userId}, 'leased', ${order}::uuid[], ${item.isGold}, now(), ${expiresAt})
        ON CONFLICT (item_id, user_id) DO UPDATE
          SET status = 'leased', candidate_order = EXCLUDED.candidate_order, leased_at = now(), expires_at = EXCLUDED.expires_at, completed_at = NULL
          WHERE assignments.status = 'expired' OR (assignments.status = 'leased' AND assignments.expires_at <= now())
        RETURNING id`;
      const id = rows[0]?.id;
      return id ? { assignmentId: id, candidateOrder: order, expiresAt, item } : null;
    }, { prelude });
  }
  if (lease === "busy") throw new AppError("unavailable", "Every open item is being handed out right now; retry in a moment.", { headers: { "retry-after": "1" } });
  if (!lease) return null;
  return attachRewardModel(toTaskView(campaign, { id: lease.assignmentId, candidateOrder: lease.candidateOrder, expiresAt: lease.expiresAt }, lease.item, lease.item.responses));
}

/** The lock a member's task search holds: one lease at a time per member and campaign, and undo waits for it. */
export function memberLeaseLockKey(userId: string, campaignId: string): string {
  return advisoryLockKey(`lease:${userId}:${campaignId}`);
}

const SWEEP_INTERVAL_MS = 2_000;
const lastSweep = new Map<string, number>();

/**
 * Marks a campaign's run-out leases 'expired', at most every 2 s per campaign in this process
 * and in its own short statement, so no row locks are held for long. Nothing depends on the
 * mark for correctness — every query treats a 'leased' row past its expiry as free — it keeps
 * the stored status honest for stats and exports.
 */
async function sweepExpiredLeases(db: RawDb, campaignId: string): Promise<void> {
  const now = Date.now();
  if (now - (lastSweep.get(campaignId) ?? 0) < SWEEP_INTERVAL_MS) return;
  if (lastSweep.size > 10_000) lastSweep.clear();
  lastSweep.set(campaignId, now);
  await db.$executeRaw`UPDATE assignments SET status = 'expired' WHERE campaign_id = ${campaignId}::uuid AND status = 'leased' AND expires_at <= now()`;
}

/** An item with what a task shows of it, read in the statement that checks or finds it. */
interface TaskItem {
  id: string;
  externalId: string;
  prompt: string | null;
  messages: unknown;
  media: unknown;
  isGold: boolean;
  responses: Array<{ id: string; content: string; model: string | null; position: number }>;
}

/** The item `itemId` (a SQL expression) as one JSON value: a task needs no second query. */
function taskItemJson(itemId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(
    SELECT json_build_object('id', ti.id, 'externalId', ti.external_id, 'prompt', ti.prompt, 'messages', ti.messages, 'media', ti.media, 'isGold', ti.is_gold,
      'responses', coalesce((SELECT json_agg(json_build_object('id', r.id, 'content', r.content, 'model', r.model, 'position', r.position) ORDER BY r.position) FROM responses r WHERE r.item_id = ti.id), '[]'::json))
    FROM items ti WHERE ti.id = ${itemId})`;
}

/** The annotator has finished with the assignment's item: judged or skipped it (undo is the way back). */
const DONE = Prisma.sql`a.status IN ('submitted', 'skipped')`;
/** An assignment blocks its item for this annotator unless it was released or its lease ran out. */
const BLOCKING = Prisma.sql`(${DONE} OR (a.status = 'leased' AND a.expires_at > now()))`;

/**
 * The items of the excluded assignments are never the next task, even when their lease ran out:
 * re-leasing the task on screen would hand it out twice and race its own submission (which locks
 * the assignment, then the item — the opposite order, a deadlock).
 */
const notExcluded = (exclude: string[]) => Prisma.sql`NOT EXISTS (SELECT 1 FROM assignments x WHERE x.id = ANY(${exclude}::uuid[]) AND x.item_id = i.id OFFSET 0)`;

/** Gold items are checks: every annotator may get each once, regardless of overlap. */
async function lockGoldItem(tx: RawDb, campaignId: string, userId: string, exclude: string[]): Promise<TaskItem | null> {
  const rows = await tx.$queryRaw<Array<{ item: TaskItem }>>`
    SELECT ${taskItemJson(Prisma.sql`i.id`)} AS item FROM items i
    WHERE i.campaign_id = ${campaignId}::uuid AND i.is_gold
      AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.item_id = i.id AND a.user_id = ${userId} AND ${BLOCKING})
      AND ${notExcluded(exclude)}
    ORDER BY random()
    LIMIT 1
    FOR UPDATE OF i SKIP LOCKED`;
  return rows[0]?.item ?? null;
}

/**
 * Items with a free slot above the member's search mark, lowest position first (started items
 * first when the campaign asks to finish them before starting new ones), locked with SKIP LOCKED
 * so concurrent annotators take different rows. Each locked row's free slots are counted again by
 * a fresh statement.
 *
 * The search is a prepared statement, so after five calls Postgres plans it once for any
 * parameters. OFFSET 0 keeps each NOT EXISTS a per-row index probe: as anti-joins, the generic
 * plan hashed all of the member's assignments and sorted the whole campaign instead of walking
 * the position index to the first match (36 ms against 0.1 ms on a 20,000-item campaign).
 */
async function lockRegularItem(tx: RawDb, campaignId: string, userId: string, config: CampaignConfig, exclude: string[], scanFrom: number): Promise<TaskItem | null | "busy"> {
  const overlap = config.overlap;
  // With a judge in the loop, unrouted items wait for the routing pass: serving them early would spend the human budget twice.
  const servePending = (config.routing?.mode ?? "all_human") === "all_human";
  const phases = config.finishStartedFirst
    ? [Prisma.sql`AND i.human_count > 0`, Prisma.sql`AND i.human_count = 0`]
    : [Prisma.empty];
  const hasRoom = (phase: Prisma.Sql, after: number) => Prisma.sql`
    i.campaign_id = ${campaignId}::uuid ${phase}
    AND i.human_count < coalesce(i.human_target, ${overlap}::int)
    AND i.position > ${after}
    AND NOT i.is_gold
    AND (i.routing IN ('human', 'calibration') OR (i.routing = 'pending' AND ${servePending}))
    AND i.human_count + (SELECT count(*) FROM assignments a WHERE a.item_id = i.id AND a.status = 'leased' AND a.expires_at > now())
        < coalesce(i.human_target, ${overlap}::int)
    AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.item_id = i.id AND a.user_id = ${userId} AND ${BLOCKING} OFFSET 0)
    AND ${notExcluded(exclude)}`;
  for (const phase of phases) {
    let after = scanFrom;
    // One row at a time: locking several would hoard items other annotators could take now.
    for (let step = 0; step < 32; step++) {
      const [candidate] = await tx.$queryRaw<Array<{ id: string; position: number }>>`
        SELECT i.id, i.position FROM items i WHERE ${hasRoom(phase, after)}
        ORDER BY i.position LIMIT 1 FOR UPDATE OF i SKIP LOCKED`;
      if (!candidate) break;
      // A fresh statement sees every lease committed before we took the row lock.
      const [slot] = await tx.$queryRaw<Array<{ free: number; item: TaskItem }>>`
        SELECT coalesce(i.human_target, ${overlap}::int) - i.human_count
               - (SELECT count(*)::int FROM assignments a WHERE a.item_id = i.id AND a.status = 'leased' AND a.expires_at > now()) AS free,
               ${taskItemJson(Prisma.sql`i.id`)} AS item
        FROM items i WHERE i.id = ${candidate.id}::uuid`;
      if (slot && slot.free > 0) return slot.item;
      after = candidate.position;
    }
  }
  const [lockedByOthers] = await tx.$queryRaw<Array<{ id: string }>>`SELECT i.id FROM items i WHERE ${hasRoom(Prisma.empty, scanFrom)} LIMIT 1`;
  return lockedByOthers ? "busy" : null;
}

/**
 * Where this member's search for a task can start: every regular item at or below their mark
 * (campaign_members.scan_from) carries their judgment or skip, so the search would pass over it
 * anyway — without the mark, an annotator deep into a large campaign re-checks every item they
 * did on every request (41 ms at 20,000 items). This UPDATE moves the mark past items done since
 * the last call (a few index probes per task) and stops at the first item not done by them, so
 * searching from it finds exactly what searching from the start would. It runs under the
 * member's lease lock; undo (the one way an item stops being done) lowers the mark under the same
 * lock. Returns the moved mark, no row when it stayed (or there is no membership row).
 *
 * Written to keep a good generic plan (it is a prepared statement): the mark enters as an
 * InitPlan, and OFFSET 0 keeps NOT EXISTS a per-row probe — as an anti-join, Postgres hashed all
 * of the member's assignments on every call (12 ms at 20,000).
 */
function advanceScanFrom(campaignId: string, userId: string): Prisma.Sql {
  return Prisma.sql`
    UPDATE campaign_members m SET scan_from = r.scan_from
    FROM (SELECT coalesce(
      (SELECT i.position - 1 FROM items i
        WHERE i.campaign_id = ${campaignId}::uuid AND NOT i.is_gold
          AND i.position > (SELECT c.scan_from FROM campaign_members c WHERE c.campaign_id = ${campaignId}::uuid AND c.user_id = ${userId})
          AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.item_id = i.id AND a.user_id = ${userId} AND ${DONE} OFFSET 0)
        ORDER BY i.position LIMIT 1),
      (SELECT max(i.position) FROM items i WHERE i.campaign_id = ${campaignId}::uuid AND NOT i.is_gold)) AS scan_from) r
    WHERE m.campaign_id = ${campaignId}::uuid AND m.user_id = ${userId} AND r.scan_from > m.scan_from
    RETURNING m.scan_from`;
}

function shuffle<T>(values: T[], random: () => number): T[] {
  const out = [...values];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
