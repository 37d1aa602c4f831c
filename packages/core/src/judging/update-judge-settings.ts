import { getPrisma, type Prisma } from "@arbiter/db";
import { requireRole, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import { AppError, parseInput } from "../errors.ts";
import { writeAudit } from "../audit/write-audit.ts";
import { JudgeConfig, resolveCampaignConfig, type CampaignConfig } from "../campaigns/campaign-config.ts";
import { enqueueRoutingPass } from "../routing/enqueue-routing-pass.ts";
import { toJudgeSettingsView, type JudgeSettingsView } from "./judge-settings-view.ts";

/**
 * Replaces a campaign's judge settings (admins). The body is @arbiter/judge's settings plus
 * `enabled`; unknown fields — an `apiKey` pasted in, say — are refused, so a key can only be
 * stored as a secret. A routing pass is queued in the same transaction: a new model or prompt
 * means every item is judged again under the new prompt version.
 */
export async function updateJudgeSettings(options: { actor: Actor | null; campaignId: string; input: unknown }): Promise<JudgeSettingsView> {
  const actor = requireRole(options.actor, "admin");
  const input = parseInput(JudgeConfig, options.input, "judge settings");
  const { promptVersion: _ignored, ...judge } = input;
  await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "manage" });
  return getPrisma().$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM campaigns WHERE id = ${options.campaignId}::uuid FOR UPDATE`;
    if (!locked) throw new AppError("not_found", "Campaign not found.");
    const campaign = await tx.campaign.findUniqueOrThrow({ where: { id: options.campaignId } });
    if (campaign.status === "closed") throw new AppError("conflict", "This campaign is closed; its settings are kept as they were.");
    const config = resolveCampaignConfig(campaign.taskType, { ...(campaign.config as Record<string, unknown>), judge });
    await tx.campaign.update({ where: { id: campaign.id }, data: { config: config as unknown as Prisma.InputJsonValue } });
    await writeAudit(tx, { actorId: actor.userId, action: "campaign.judge", targetType: "campaign", targetId: campaign.id, campaignId: campaign.id, data: { enabled: judge.enabled, model: judge.model ?? null } });
    await enqueueRoutingPass(tx, { campaignId: campaign.id });
    return toJudgeSettingsView(config as CampaignConfig);
  });
}
