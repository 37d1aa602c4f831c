import type { Prisma } from "@arbiter/db";
import type { Actor } from "../access/actor.ts";
import { AppError } from "../errors.ts";
import { writeAudit } from "../audit/write-audit.ts";
import { enqueueRoutingPass } from "../jobs/routing-pass-queue.ts";
import { resolveCampaignConfig, type CampaignConfig } from "./campaign-config.ts";
import { findCampaignOrThrow, lockCampaign, saveCampaignChanges } from "../store/campaigns.ts";
import { inPrismaTransaction, type PrismaTx } from "../store/transaction.ts";

/**
 * Replaces one section of a campaign's config under the campaign's row lock, revalidates the
 * whole config, audits it, and queues a routing pass in the same transaction (judge and
 * routing settings both change which items go where). Closed campaigns keep their settings.
 */
export async function replaceConfigSection(options: {
  actor: Actor;
  campaignId: string;
  section: Partial<Pick<CampaignConfig, "judge" | "routing">>;
  audit: { action: string; data: Prisma.InputJsonValue };
  /** Runs under the row lock before the write, with the config as it was (e.g. binding a secret to the judge's endpoint). */
  beforeSave?: (tx: PrismaTx, current: CampaignConfig) => Promise<void>;
}): Promise<CampaignConfig> {
  const { actor, campaignId } = options;
  return inPrismaTransaction(async (tx) => {
    if (!(await lockCampaign(tx, campaignId))) throw new AppError("not_found", "Campaign not found.");
    const campaign = await findCampaignOrThrow(tx, campaignId);
    if (campaign.status === "closed") throw new AppError("conflict", "This campaign is closed; its settings are kept as they were.");
    const config = resolveCampaignConfig(campaign.taskType, { ...(campaign.config as Record<string, unknown>), ...options.section });
    await options.beforeSave?.(tx, campaign.config as unknown as CampaignConfig);
    await saveCampaignChanges(tx, campaign.id, { config });
    await writeAudit(tx, {
      actorId: actor.userId,
      action: options.audit.action,
      targetType: "campaign",
      targetId: campaign.id,
      campaignId: campaign.id,
      data: options.audit.data,
    });
    await enqueueRoutingPass(tx, { campaignId: campaign.id });
    return config;
  });
}
