import { shuffled } from "@arbiter/ranking/random";
import { requireActor, type Actor } from "../access/actor.ts";
import { assertCampaignAnnotatable, isUuid } from "../access/campaign-access.ts";
import { AppError } from "../errors.ts";
import { comparisonKind, type CampaignConfig } from "../campaign-config/campaign-config.ts";
import { toTaskView, type TaskView } from "./task-view.ts";
import { pickArenaCandidates } from "../arena/pick-arena-candidates.ts";
import { attachRewardModel } from "./attach-reward-model.ts";
import {
  advanceScanFromAndFindOpenLease,
  lockGoldItem,
  lockRegularItem,
  markExpiredLeases,
  memberLeaseLockPrelude,
  upsertLease,
  type TaskItem,
} from "../store/assignments.ts";
import { db, inTransaction } from "../store/transaction.ts";

/**
 * The next task for an annotator: their open lease if they have one, else an item of an
 * active campaign that still needs human judgments and that they have not judged or skipped.
 * Overlap holds exactly under concurrency: candidate items are locked with SKIP LOCKED and
 * their free slots re-counted under the lock before a lease is written.
 */
export async function assignNextTask(options: {
  actor: Actor | null;
  campaignId: string;
  random?: () => number;
  exclude?: string[];
}): Promise<TaskView | null> {
  const actor = requireActor(options.actor);
  const campaign = await assertCampaignAnnotatable(db(), actor, options.campaignId);
  if (actor.role !== "annotator" && actor.role !== "admin") throw new AppError("forbidden", "Only annotators can take tasks.");
  if (campaign.status !== "active") throw new AppError("conflict", `This campaign is ${campaign.status}; no tasks are handed out.`);
  const config = campaign.config as CampaignConfig;
  const random = options.random ?? Math.random;

  // `exclude` lets the page prefetch: it holds the task on screen and asks for the one after.
  const exclude = (options.exclude ?? []).filter(isUuid).slice(0, 5);
  const wantGold = config.goldRate > 0 && random() < config.goldRate;
  await sweepExpiredLeases(campaign.id);
  type Lease = { assignmentId: string; candidateOrder: string[]; expiresAt: Date; item: TaskItem } | null | "busy";
  let lease: Lease = "busy";
  // "busy": every item with room was locked by other annotators' transactions at that instant;
  // those last milliseconds, so try again rather than answer "nothing left".
  const expiresAt = new Date(Date.now() + config.leaseMinutes * 60_000);
  for (let attempt = 0; lease === "busy" && attempt < 40; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * Math.min(attempt, 5)));
    // One lease at a time per annotator and campaign, even with two tabs asking at once: the lock goes out with BEGIN.
    const prelude = memberLeaseLockPrelude(campaign.id, actor.userId);
    lease = await inTransaction(
      async (tx): Promise<Lease> => {
        // The member's search mark, moved past what they have done since, and their open lease if any: one statement.
        const state = await advanceScanFromAndFindOpenLease(tx, campaign.id, actor.userId, exclude);
        if (state.openLease) return state.openLease;
        let item: TaskItem | null | "busy" = wantGold ? await lockGoldItem(tx, campaign.id, actor.userId, exclude) : null;
        item ??= await lockRegularItem(tx, {
          campaignId: campaign.id,
          userId: actor.userId,
          overlap: config.overlap,
          // With a judge in the loop, unrouted items wait for the routing pass: serving them early would spend the human budget twice.
          servePending: (config.routing?.mode ?? "all_human") === "all_human",
          finishStartedFirst: config.finishStartedFirst,
          exclude,
          scanFrom: state.scanFrom,
          leaseExpiresAt: expiresAt,
        });
        if (item === "busy") return "busy";
        if (!item) return null;
        const responses = item.responses;
        const count = comparisonKind(campaign.taskType, config) === "pairwise" ? 2 : Math.min(config.k, responses.length);
        // Arena campaigns choose which K models to show (K-Sort Arena matchmaking); others show a random K.
        const order = config.arena?.enabled
          ? await pickArenaCandidates(tx, { campaignId: campaign.id, responses, k: count, random })
          : shuffled(
              responses.map((r) => r.id),
              random,
            ).slice(0, count);
        const id = await upsertLease(tx, {
          campaignId: campaign.id,
          itemId: item.id,
          userId: actor.userId,
          candidateOrder: order,
          isGold: item.isGold,
          expiresAt,
        });
        return id ? { assignmentId: id, candidateOrder: order, expiresAt, item } : null;
      },
      { prelude },
    );
  }
  if (lease === "busy")
    throw new AppError("unavailable", "Every open item is being handed out right now; retry in a moment.", { headers: { "retry-after": "1" } });
  if (!lease) return null;
  return attachRewardModel(
    toTaskView(campaign, { id: lease.assignmentId, candidateOrder: lease.candidateOrder, expiresAt: lease.expiresAt }, lease.item, lease.item.responses),
    lease.item,
  );
}

const SWEEP_INTERVAL_MS = 2_000;
const lastSweep = new Map<string, number>();

/**
 * Marks a campaign's run-out leases 'expired' (markExpiredLeases) at most every 2 s per campaign
 * in this process: the mark is bookkeeping, not needed for correctness.
 */
async function sweepExpiredLeases(campaignId: string): Promise<void> {
  const now = Date.now();
  if (now - (lastSweep.get(campaignId) ?? 0) < SWEEP_INTERVAL_MS) return;
  if (lastSweep.size > 10_000) lastSweep.clear();
  lastSweep.set(campaignId, now);
  await markExpiredLeases(campaignId);
}
