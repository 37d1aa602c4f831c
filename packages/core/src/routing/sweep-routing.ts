import { createHash } from "node:crypto";
import type { CampaignConfig } from "../campaign-config/campaign-config.ts";
import { campaignJudgeSettings } from "../llm-judge/campaign-judge-settings.ts";
import { enqueueRoutingPass } from "../jobs/routing-pass-queue.ts";
import { listActiveCampaignsForSweep } from "../store/routing.ts";
import { db } from "../store/transaction.ts";

/** Items left waiting (for a judge that failed and was retried, say) get another look this often. */
const WAITING_RECHECK_MS = 60_000;

export interface RoutingSweepMemo {
  fingerprints: Map<string, string>;
  lastWaitingCheck: Map<string, number>;
}

export function createRoutingSweepMemo(): RoutingSweepMemo {
  return { fingerprints: new Map(), lastWaitingCheck: new Map() };
}

function fingerprint(config: CampaignConfig): string {
  const settings = campaignJudgeSettings(config);
  return createHash("sha256")
    .update(JSON.stringify([config.routing ?? null, settings ? [settings.model, settings.promptVersion] : null]))
    .digest("hex");
}

/**
 * The worker's safety net for routing triggers that no single write sees: a campaign that
 * became active, items imported into an active campaign (never processed by a pass), routing
 * or judge settings changed by any path, and items still waiting in a hybrid campaign. Each
 * enqueues a (coalesced) routing pass. The first sweep of a worker looks at every active campaign.
 */
export async function sweepRoutingCampaigns(memo: RoutingSweepMemo, now = Date.now()): Promise<string[]> {
  const campaigns = await listActiveCampaignsForSweep();
  const enqueued: string[] = [];
  const active = new Set<string>();
  for (const campaign of campaigns) {
    active.add(campaign.id);
    const config = campaign.config as CampaignConfig;
    const print = fingerprint(config);
    const changed = memo.fingerprints.get(campaign.id) !== print;
    const recheck = campaign.waiting && config.routing?.mode !== "all_human" && now - (memo.lastWaitingCheck.get(campaign.id) ?? 0) >= WAITING_RECHECK_MS;
    if (changed || campaign.unprocessed || recheck) {
      await enqueueRoutingPass(db(), { campaignId: campaign.id });
      enqueued.push(campaign.id);
      memo.lastWaitingCheck.set(campaign.id, now);
    }
    memo.fingerprints.set(campaign.id, print);
  }
  // A campaign that is paused and later resumed gets a fresh pass.
  for (const id of memo.fingerprints.keys()) if (!active.has(id)) memo.fingerprints.delete(id);
  return enqueued;
}
