import { getPrisma, type Prisma } from "@arbiter/db";
import { requireRole, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import { AppError, parseInput } from "../errors.ts";
import { writeAudit } from "../audit/write-audit.ts";
import { resolveCampaignConfig, RoutingConfig } from "../campaigns/campaign-config.ts";
import { enqueueRoutingPass } from "./enqueue-routing-pass.ts";

/**
 * Replaces a campaign's routing settings (admins): mode, human budget, calibration share, seed.
 * A routing pass is queued in the same transaction; it re-routes only items nobody has
 * labelled or leased, so switching modes never discards work.
 */
export async function updateRoutingSettings(options: { actor: Actor | null; campaignId: string; input: unknown }): Promise<RoutingConfig> {
  const actor = requireRole(options.actor, "admin");
  const routing = parseInput(RoutingConfig, options.input, "routing settings");
  await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "manage" });
  return getPrisma().$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM campaigns WHERE id = ${options.campaignId}::uuid FOR UPDATE`;
    if (!locked) throw new AppError("not_found", "Campaign not found.");
    const campaign = await tx.campaign.findUniqueOrThrow({ where: { id: options.campaignId } });
    if (campaign.status === "closed") throw new AppError("conflict", "This campaign is closed; its settings are kept as they were.");
    const config = resolveCampaignConfig(campaign.taskType, { ...(campaign.config as Record<string, unknown>), routing });
    await tx.campaign.update({ where: { id: campaign.id }, data: { config: config as unknown as Prisma.InputJsonValue } });
    await writeAudit(tx, { actorId: actor.userId, action: "campaign.routing", targetType: "campaign", targetId: campaign.id, campaignId: campaign.id, data: routing });
    await enqueueRoutingPass(tx, { campaignId: campaign.id });
    return config.routing;
  });
}
