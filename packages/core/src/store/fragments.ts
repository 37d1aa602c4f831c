import { Prisma } from "@arbiter/db";

/**
 * The business rules that live in SQL, defined once. Every fragment reads the assignment as
 * alias `a` and the item as alias `i`, the aliases every statement in the store uses for them.
 */

/** A lease that still holds its slot: leased and not yet run out. */
export const LIVE_LEASE = Prisma.sql`(a.status = 'leased' AND a.expires_at > now())`;

/** The annotator has finished with the assignment's item: judged or skipped it (undo is the way back). */
export const DONE = Prisma.sql`a.status IN ('submitted', 'skipped')`;

/** An assignment blocks its item for its annotator unless it was released or its lease ran out. */
export const BLOCKING = Prisma.sql`(${DONE} OR ${LIVE_LEASE})`;

/** How many human verdicts item `i` wants: its own target, else the campaign's overlap. */
export const humanTarget = (overlap: number) => Prisma.sql`coalesce(i.human_target, ${overlap}::int)`;

/** Live leases on item `i`, leaving out `exceptAssignment` (the lease being turned into a judgment). */
export const liveLeaseCount = (exceptAssignment?: string) =>
  exceptAssignment === undefined
    ? Prisma.sql`(SELECT count(*)::int FROM assignments a WHERE a.item_id = i.id AND ${LIVE_LEASE})`
    : Prisma.sql`(SELECT count(*)::int FROM assignments a WHERE a.item_id = i.id AND ${LIVE_LEASE} AND a.id <> ${exceptAssignment}::uuid)`;

/** Item `i` has a live lease on it. */
export const HAS_LIVE_LEASE = Prisma.sql`EXISTS (SELECT 1 FROM assignments a WHERE a.item_id = i.id AND ${LIVE_LEASE})`;

/** Free human slots on item `i`: its target less its verdicts and its live leases. */
export const freeSlots = (overlap: number, exceptAssignment?: string) =>
  Prisma.sql`(${humanTarget(overlap)} - i.human_count - ${liveLeaseCount(exceptAssignment)})`;

/**
 * Item `i` of campaign `c` needs no more labels: a judge-routed item has the judge's, any other
 * has its human target (its own, else the campaign's overlap read from `c.config`).
 */
export const ITEM_COMPLETE = Prisma.sql`(i.routing = 'judge' AND i.judge_count > 0 OR i.routing <> 'judge' AND i.human_count >= coalesce(i.human_target, (c.config->>'overlap')::int))`;

/**
 * `releasing` (an UPDATE of assignments that frees leases, without RETURNING) run so that the freed
 * items lose their full-slots mark (items.slots_full_until) in the same statement: searches count
 * their leases again at once. Selects `n`, the number of assignments released.
 */
export const releasingLeases = (releasing: Prisma.Sql) => Prisma.sql`
  WITH freed AS (${releasing} RETURNING item_id),
       unmarked AS (UPDATE items SET slots_full_until = NULL WHERE id IN (SELECT item_id FROM freed) AND slots_full_until IS NOT NULL)
  SELECT count(*)::int AS n FROM freed`;
