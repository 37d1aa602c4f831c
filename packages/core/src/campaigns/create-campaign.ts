import { z } from "zod";
import { requireRole, type Actor } from "../access/actor.ts";
import { parseInput } from "../errors.ts";
import { writeAudit } from "../audit/write-audit.ts";
import { TaskTypeInput, resolveCampaignConfig } from "../campaign-config/campaign-config.ts";
import { toCampaignView, type CampaignView } from "./campaign-view.ts";
import { assertJudgeConfigAllowed } from "../llm-judge/vet-judge-config.ts";
import { assertLiveConfigAllowed } from "../battles/vet-live-config.ts";
import { insertCampaign } from "../store/campaigns.ts";
import { inPrismaTransaction } from "../store/transaction.ts";

export const CampaignCreateInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    description: z.string().max(5000).optional(),
    taskType: TaskTypeInput,
    config: z.unknown().optional(),
    status: z.enum(["draft", "active"]).default("draft"),
  })
  .strict();

export async function createCampaign(options: { actor: Actor | null; input: unknown }): Promise<CampaignView> {
  const actor = requireRole(options.actor, "admin");
  const input = parseInput(CampaignCreateInput, options.input);
  const config = resolveCampaignConfig(input.taskType, input.config);
  await assertJudgeConfigAllowed(config.judge);
  await assertLiveConfigAllowed(config.live);
  const campaign = await inPrismaTransaction(async (tx) => {
    const created = await insertCampaign(tx, {
      name: input.name,
      description: input.description,
      taskType: input.taskType,
      status: input.status,
      config,
      createdById: actor.userId,
    });
    await writeAudit(tx, { actorId: actor.userId, action: "campaign.create", targetType: "campaign", targetId: created.id, campaignId: created.id });
    return created;
  });
  return toCampaignView(campaign, { itemCount: 0, goldItemCount: 0, itemsComplete: 0, humanJudgments: 0, judgeJudgments: 0, memberCount: 0 }, actor);
}
