import { z } from "zod";
import { requireRole, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import { parseInput } from "../errors.ts";
import { writeAudit } from "../audit/write-audit.ts";
import { getCampaign } from "./get-campaign.ts";
import type { CampaignView } from "./campaign-view.ts";
import { insertCampaign } from "../store/campaigns.ts";
import { copyItemsAndResponses } from "../store/items.ts";
import { inPrismaTransaction } from "../store/transaction.ts";

export const CampaignDuplicateInput = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

/**
 * A new draft campaign with the same task type, description, config, items (gold included) and
 * responses; no judgments, assignments, members or routing decisions, and a fresh pseudonym
 * salt. Items keep their imported ids and order. Admins only.
 */
export async function duplicateCampaign(options: { actor: Actor | null; campaignId: string; input?: unknown }): Promise<CampaignView> {
  const actor = requireRole(options.actor, "admin");
  const input = parseInput(CampaignDuplicateInput, options.input ?? {});
  const source = await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "manage" });
  const copy = await inPrismaTransaction(
    async (tx) => {
      const created = await insertCampaign(tx, {
        name: input.name ?? `${source.name} (copy)`.slice(0, 200),
        description: source.description,
        taskType: source.taskType,
        status: "draft",
        config: source.config,
        configVersion: source.configVersion,
        createdById: actor.userId,
        duplicatedFromId: source.id,
      });
      await copyItemsAndResponses(tx, source.id, created.id);
      await writeAudit(tx, {
        actorId: actor.userId,
        action: "campaign.duplicate",
        targetType: "campaign",
        targetId: created.id,
        campaignId: created.id,
        data: { from: source.id },
      });
      return created;
    },
    { timeout: 10 * 60_000 },
  );
  return getCampaign({ actor, campaignId: copy.id });
}
