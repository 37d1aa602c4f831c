import { advisoryLockKey, getPrisma, Prisma } from "@arbiter/db";
import { BLOCKING, DONE, freeSlots, humanTarget, LIVE_LEASE, liveLeaseCount } from "./fragments.ts";
import { db, type PrismaTx, type Tx } from "./transaction.ts";

/**
 * Assignments: leases handed out by the task search, the member's lease lock and search mark
 * (campaign_members.scan_from), and the assignment reads and writes of skip, undo and get-task.
 */

/** The lock a member's task search holds: one lease at a time per member and campaign, and undo waits for it. */
function memberLeaseLockKey(userId: string, campaignId: string): string {
  return advisoryLockKey(`lease:${userId}:${campaignId}`);
}

/**
 * The member's lease lock as a statement sent with BEGIN (inTransaction's `prelude`): one round
 * trip for both. A literal, as a prelude cannot carry parameters: the key is digits only.
 */
export function memberLeaseLockPrelude(campaignId: string, userId: string): string {
  return `SELECT pg_advisory_xact_lock(${memberLeaseLockKey(userId, campaignId)})`;
}

/** The member's lease lock inside an open transaction (undo: no task search of theirs runs meanwhile). */
export async function lockMemberLeases(tx: Tx, campaignId: string, userId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${memberLeaseLockKey(userId, campaignId)}::bigint)`;
}

/**
 * Marks a campaign's run-out leases 'expired', in its own short statement, so no row locks are
 * held for long. Nothing depends on the mark for correctness — every query treats a 'leased' row
 * past its expiry as free — it keeps the stored status honest for stats and exports.
 */
export async function markExpiredLeases(campaignId: string): Promise<void> {
  await db().$executeRaw`UPDATE assignments SET status = 'expired' WHERE campaign_id = ${campaignId}::uuid AND status = 'leased' AND expires_at <= now()`;
}

/** An item with what a task shows of it, read in the statement that checks or finds it. */
export interface TaskItem {
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

/** The member's open lease (with its item) if any, and where their task search starts. */
export interface LeaseState {
  openLease: { assignmentId: string; candidateOrder: string[]; expiresAt: Date; item: TaskItem } | null;
  /** The member's search mark; -1 without a membership row (search from the start). */
  scanFrom: number;
}

/**
 * The member's search mark, moved past what they have done since (see advanceScanFrom), and
 * their open lease if any, leaving out the `exclude`d assignments: one statement. Run it under
 * the member's lease lock.
 */
export async function advanceScanFromAndFindOpenLease(tx: Tx, campaignId: string, userId: string, exclude: string[]): Promise<LeaseState> {
  const [state] = await tx.$queryRaw<Array<{ id: string | null; candidateOrder: string[]; expiresAt: Date; item: TaskItem; scanFrom: number | null }>>`
    WITH mark AS (${advanceScanFrom(campaignId, userId)})
    SELECT a.id, a.candidate_order AS "candidateOrder", a.expires_at AS "expiresAt", ${taskItemJson(Prisma.sql`a.item_id`)} AS item,
           coalesce((SELECT scan_from FROM mark),
                    (SELECT m.scan_from FROM campaign_members m WHERE m.campaign_id = ${campaignId}::uuid AND m.user_id = ${userId})) AS "scanFrom"
    FROM (SELECT 1) AS one LEFT JOIN LATERAL (
      SELECT a.id, a.candidate_order, a.expires_at, a.item_id FROM assignments a
      WHERE a.user_id = ${userId} AND a.campaign_id = ${campaignId}::uuid AND ${LIVE_LEASE}
        AND NOT (a.id = ANY(${exclude}::uuid[])) ORDER BY a.leased_at LIMIT 1) a ON true`;
  return {
    openLease: state?.id ? { assignmentId: state.id, candidateOrder: state.candidateOrder, expiresAt: state.expiresAt, item: state.item } : null,
    scanFrom: state?.scanFrom ?? -1,
  };
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

/**
 * Undo makes the item no longer done for the member: their search mark drops below it. Run it
 * under the member's lease lock (lockMemberLeases).
 */
export async function lowerScanFromBelowItem(tx: Tx, campaignId: string, userId: string, itemId: string): Promise<void> {
  await tx.$executeRaw`
    UPDATE campaign_members SET scan_from = least(scan_from, (SELECT position - 1 FROM items WHERE id = ${itemId}::uuid))
    WHERE campaign_id = ${campaignId}::uuid AND user_id = ${userId}`;
}

/**
 * The items of the excluded assignments are never the next task, even when their lease ran out:
 * re-leasing the task on screen would hand it out twice and race its own submission (which locks
 * the assignment, then the item — the opposite order, a deadlock).
 */
const notExcluded = (exclude: string[]) =>
  Prisma.sql`NOT EXISTS (SELECT 1 FROM assignments x WHERE x.id = ANY(${exclude}::uuid[]) AND x.item_id = i.id OFFSET 0)`;

/** Gold items are checks: every annotator may get each once, regardless of overlap. */
export async function lockGoldItem(tx: Tx, campaignId: string, userId: string, exclude: string[]): Promise<TaskItem | null> {
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

/** What the regular-item search needs to know of the campaign. */
export interface RegularItemSearch {
  campaignId: string;
  userId: string;
  overlap: number;
  /** Whether items not yet routed may be served (only when no judge is in the loop). */
  servePending: boolean;
  /** Started items first (human_count > 0), then new ones. */
  finishStartedFirst: boolean;
  exclude: string[];
  scanFrom: number;
  /** When the lease about to be written runs out (the full-slots mark never outlasts a lease). */
  leaseExpiresAt: Date;
}

/**
 * Items with a free slot above the member's search mark, lowest position first (started items
 * first when the campaign asks to finish them before starting new ones), locked with SKIP LOCKED
 * so concurrent annotators take different rows. Each locked row's free slots are counted again by
 * a fresh statement. "busy": every item with room was locked by other transactions at that instant.
 *
 * The search is a prepared statement, so after five calls Postgres plans it once for any
 * parameters. OFFSET 0 keeps each NOT EXISTS a per-row index probe: as anti-joins, the generic
 * plan hashed all of the member's assignments and sorted the whole campaign instead of walking
 * the position index to the first match (36 ms against 0.1 ms on a 20,000-item campaign).
 */
/**
 * How long a search may pass over an item whose slots were all taken, without counting its leases
 * (items.slots_full_until). Under many annotators the items being worked on — every slot leased,
 * none free — are the ones each search would otherwise re-count, one by one (BENCHMARKS.md,
 * "Annotation loop at 500 annotators"). The mark ends when the item's first lease runs out, so an
 * expired lease frees its slot on time; a skip clears it; a slot freed any other way (an admin
 * raising the target, removing judgments) is offered again within a minute.
 */
const SLOTS_FULL_HINT = "60 seconds";

export async function lockRegularItem(tx: Tx, search: RegularItemSearch): Promise<TaskItem | null | "busy"> {
  const { campaignId, userId, overlap, servePending, exclude, scanFrom } = search;
  const phases = search.finishStartedFirst ? [Prisma.sql`AND i.human_count > 0`, Prisma.sql`AND i.human_count = 0`] : [Prisma.empty];
  const hasRoom = (phase: Prisma.Sql, after: number) => Prisma.sql`
    i.campaign_id = ${campaignId}::uuid ${phase}
    AND i.human_count < ${humanTarget(overlap)}
    AND i.position > ${after}
    AND NOT i.is_gold
    AND (i.routing IN ('human', 'calibration') OR (i.routing = 'pending' AND ${servePending}))
    AND (i.slots_full_until IS NULL OR i.slots_full_until <= now())
    AND i.human_count + ${liveLeaseCount()} < ${humanTarget(overlap)}
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
      // A fresh statement sees every lease committed before we took the row lock. When the lease
      // about to be written takes the last slot, the item is marked full until its first lease can
      // run out, at most a minute (SLOTS_FULL_HINT): until then other searches pass over it without
      // counting its leases.
      const [slot] = await tx.$queryRaw<Array<{ free: number; item: TaskItem }>>`
        WITH slot AS (SELECT ${freeSlots(overlap)} AS free FROM items i WHERE i.id = ${candidate.id}::uuid),
             mark_full AS (
               UPDATE items i SET slots_full_until = least(now() + ${SLOTS_FULL_HINT}::interval, ${search.leaseExpiresAt},
                                                         (SELECT min(a.expires_at) FROM assignments a WHERE a.item_id = i.id AND ${LIVE_LEASE}))
               WHERE i.id = ${candidate.id}::uuid AND (SELECT free FROM slot) = 1)
        SELECT (SELECT free FROM slot) AS free, ${taskItemJson(Prisma.sql`${candidate.id}::uuid`)} AS item`;
      if (slot && slot.free > 0) return slot.item;
      after = candidate.position;
    }
  }
  const [lockedByOthers] = await tx.$queryRaw<Array<{ id: string }>>`SELECT i.id FROM items i WHERE ${hasRoom(Prisma.empty, scanFrom)} LIMIT 1`;
  return lockedByOthers ? "busy" : null;
}

/**
 * Leases `itemId` to the member. A lease that ran out (status still 'leased', expiry past) or was
 * released is reused for the same pair. Returns the assignment id, null when the pair already has
 * a live lease or is done.
 */
export async function upsertLease(
  tx: Tx,
  lease: { campaignId: string; itemId: string; userId: string; candidateOrder: string[]; isGold: boolean; expiresAt: Date },
): Promise<string | null> {
  const rows = await tx.$queryRaw<Array<{ id: string }>>`
    INSERT INTO assignments (campaign_id, item_id, user_id, status, candidate_order, is_gold, leased_at, expires_at)
    VALUES (${lease.campaignId}::uuid, ${lease.itemId}::uuid, ${lease.userId}, 'leased', ${lease.candidateOrder}::uuid[], ${lease.isGold}, now(), ${lease.expiresAt})
    ON CONFLICT (item_id, user_id) DO UPDATE
      SET status = 'leased', candidate_order = EXCLUDED.candidate_order, leased_at = now(), expires_at = EXCLUDED.expires_at, completed_at = NULL
      WHERE assignments.status = 'expired' OR (assignments.status = 'leased' AND assignments.expires_at <= now())
    RETURNING id`;
  return rows[0]?.id ?? null;
}

/** The assignment's row lock, first in the submit transaction; no row when it does not exist. */
export async function lockAssignment(tx: Tx, assignmentId: string): Promise<Array<{ id: string }>> {
  return tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM assignments WHERE id = ${assignmentId}::uuid FOR UPDATE`;
}

/** An assignment with its campaign and item (with responses), for showing it as a task. */
export async function findAssignmentWithTask(assignmentId: string) {
  return getPrisma().assignment.findUnique({ where: { id: assignmentId }, include: { campaign: true, item: { include: { responses: true } } } });
}

/** The assignment locked for a skip, with what the skip rules check. */
export async function lockAssignmentForSkip(
  tx: PrismaTx,
  assignmentId: string,
): Promise<{ userId: string; status: string; campaignStatus: string; memberStatus: string | null } | null> {
  const [row] = await tx.$queryRaw<Array<{ userId: string; status: string; campaignStatus: string; memberStatus: string | null }>>`
    SELECT a.user_id AS "userId", a.status, c.status::text AS "campaignStatus", m.status::text AS "memberStatus"
    FROM assignments a
      JOIN campaigns c ON c.id = a.campaign_id
      LEFT JOIN campaign_members m ON m.campaign_id = a.campaign_id AND m.user_id = a.user_id
    WHERE a.id = ${assignmentId}::uuid
    FOR UPDATE OF a`;
  return row ?? null;
}

export async function markAssignmentSkipped(tx: PrismaTx, assignmentId: string, reason: string | null, at: Date): Promise<void> {
  await tx.assignment.update({ where: { id: assignmentId }, data: { status: "skipped", skipReason: reason, completedAt: at } });
  // The skip frees a slot: searches count the item's leases again from now on.
  await tx.$executeRaw`UPDATE items SET slots_full_until = NULL WHERE id = (SELECT item_id FROM assignments WHERE id = ${assignmentId}::uuid) AND slots_full_until IS NOT NULL`;
}

/** Undo hands the task back to its annotator as a fresh lease. */
export async function releaseAssignmentAsLease(tx: PrismaTx, assignmentId: string, expiresAt: Date): Promise<void> {
  await tx.assignment.update({ where: { id: assignmentId }, data: { status: "leased", completedAt: null, expiresAt } });
}

/** The member's status in a campaign, or null without a membership. */
export async function findMemberStatus(tx: PrismaTx, campaignId: string, userId: string): Promise<string | null> {
  const membership = await tx.campaignMember.findUnique({ where: { campaignId_userId: { campaignId, userId } } });
  return membership?.status ?? null;
}
