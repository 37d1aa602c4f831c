import { getPrisma, type Prisma } from "@arbiter/db";
import { requireActor, type Actor } from "../access/actor.ts";
import { assertCampaignAccess, isUuid } from "../access/campaign-access.ts";
import { AppError } from "../errors.ts";
import { comparisonKind, type CampaignConfig } from "../campaigns/campaign-config.ts";
import { toTaskView, type TaskView } from "./task-view.ts";

type Tx = Prisma.TransactionClient;

/**
 * The next task for an annotator: their open lease if they have one, else an item of an
 * active campaign that still needs human judgments and that they have not judged or skipped.
 * Overlap holds exactly under concurrency: candidate items are locked with SKIP LOCKED and
 * their free slots re-counted under the lock before a lease is written.
 */
export async function assignNextTask(options: { actor: Actor | null; campaignId: string; random?: () => number; exclude?: string[] }): Promise<TaskView | null> {
  const actor = requireActor(options.actor);
  const campaign = await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "annotate" });
  if (actor.role !== "annotator" && actor.role !== "admin") throw new AppError("forbidden", "Only annotators can take tasks.");
  if (campaign.status !== "active") throw new AppError("conflict", `This campaign is ${campaign.status}; no tasks are handed out.`);
  const config = campaign.config as unknown as CampaignConfig;
  const random = options.random ?? Math.random;
  const prisma = getPrisma();

  // `exclude` lets the page prefetch: it holds the task on screen and asks for the one after.
  const exclude = (options.exclude ?? []).filter(isUuid).slice(0, 5);
  const open = await prisma.assignment.findFirst({
    where: { userId: actor.userId, campaignId: campaign.id, status: "leased", expiresAt: { gt: new Date() }, id: { notIn: exclude } },
    orderBy: { leasedAt: "asc" },
    include: { item: { include: { responses: true } } },
  });
  if (open) return toTaskView(campaign, open, open.item, open.item.responses);

  const wantGold = config.goldRate > 0 && random() < config.goldRate;
  const lease = await prisma.$transaction(async (tx) => {
    // One lease at a time per annotator and campaign, even with two tabs asking at once.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${actor.userId + ":" + campaign.id}))`;
    const [existing] = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT id FROM assignments WHERE user_id = ${actor.userId} AND campaign_id = ${campaign.id}::uuid AND status = 'leased' AND expires_at > now()
        AND NOT (id = ANY(${exclude}::uuid[])) LIMIT 1`;
    if (existing) return existing.id;
    await tx.$executeRaw`UPDATE assignments SET status = 'expired' WHERE campaign_id = ${campaign.id}::uuid AND status = 'leased' AND expires_at <= now()`;
    let itemId = wantGold ? await lockGoldItem(tx, campaign.id, actor.userId) : null;
    itemId ??= await lockRegularItem(tx, campaign.id, actor.userId, config);
    if (!itemId) return null;
    const responses = await tx.response.findMany({ where: { itemId }, orderBy: { position: "asc" } });
    const count = comparisonKind(campaign.taskType, config) === "pairwise" ? 2 : Math.min(config.k, responses.length);
    const order = shuffle(responses.map((r) => r.id), random).slice(0, count);
    const expiresAt = new Date(Date.now() + config.leaseMinutes * 60_000);
    const rows = await tx.$queryRaw<Array<{ id: string }>>`
      INSERT INTO assignments (campaign_id, item_id, user_id, status, candidate_order, is_gold, leased_at, expires_at)
      SELECT ${campaign.id}::uuid, ${itemId}::uuid, ${actor.userId}, 'leased', ${order}::uuid[], i.is_gold, now(), ${expiresAt}
      FROM items i WHERE i.id = ${itemId}::uuid
      ON CONFLICT (item_id, user_id) DO UPDATE
        SET status = 'leased', candidate_order = EXCLUDED.candidate_order, leased_at = now(), expires_at = EXCLUDED.expires_at, completed_at = NULL
        WHERE assignments.status = 'expired'
      RETURNING id`;
    return rows[0]?.id ?? null;
  });
  if (!lease) return null;
  const assignment = await prisma.assignment.findUniqueOrThrow({ where: { id: lease }, include: { item: { include: { responses: true } } } });
  return toTaskView(campaign, assignment, assignment.item, assignment.item.responses);
}

/** Gold items are checks: every annotator may get each once, regardless of overlap. */
async function lockGoldItem(tx: Tx, campaignId: string, userId: string): Promise<string | null> {
  const rows = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT i.id FROM items i
    WHERE i.campaign_id = ${campaignId}::uuid AND i.is_gold
      AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.item_id = i.id AND a.user_id = ${userId} AND a.status <> 'expired')
    ORDER BY random()
    LIMIT 1
    FOR UPDATE OF i SKIP LOCKED`;
  return rows[0]?.id ?? null;
}

async function lockRegularItem(tx: Tx, campaignId: string, userId: string, config: CampaignConfig): Promise<string | null> {
  const overlap = config.overlap;
  const candidates = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT i.id FROM items i
    WHERE i.campaign_id = ${campaignId}::uuid AND NOT i.is_gold
      AND i.routing <> 'judge'
      AND i.human_count + (SELECT count(*) FROM assignments a WHERE a.item_id = i.id AND a.status = 'leased' AND a.expires_at > now())
          < coalesce(i.human_target, ${overlap}::int)
      AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.item_id = i.id AND a.user_id = ${userId} AND a.status <> 'expired')
    ORDER BY ${config.finishStartedFirst ? 1 : 0}::int * (i.human_count > 0)::int DESC, i.position
    LIMIT 8
    FOR UPDATE OF i SKIP LOCKED`;
  for (const { id } of candidates) {
    // A fresh statement sees every lease committed before we took the row lock.
    const [slot] = await tx.$queryRaw<Array<{ free: number }>>`
      SELECT coalesce(i.human_target, ${overlap}::int) - i.human_count
             - (SELECT count(*)::int FROM assignments a WHERE a.item_id = i.id AND a.status = 'leased' AND a.expires_at > now()) AS free
      FROM items i WHERE i.id = ${id}::uuid`;
    if (slot && slot.free > 0) return id;
  }
  return null;
}

function shuffle<T>(values: T[], random: () => number): T[] {
  const out = [...values];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
