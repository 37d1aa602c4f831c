import { z } from "zod";
import { getPrisma, type Prisma } from "@arbiter/db";
import { requireRole, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import { parseInput } from "../errors.ts";
import { writeAudit } from "../audit/write-audit.ts";
import { getCampaign } from "./get-campaign.ts";
import type { CampaignView } from "./campaign-view.ts";

export const CampaignDuplicateInput = z.object({
  name: z.string().trim().min(1).max(200).optional(),
}).strict();

/**
 * A new draft campaign with the same task type, description, config, items (gold included) and
 * responses; no judgments, assignments, members or routing decisions, and a fresh pseudonym
 * salt. Items keep their imported ids and order. Admins only.
 */
export async function duplicateCampaign(options: { actor: Actor | null; campaignId: string; input?: unknown }): Promise<CampaignView> {
  const actor = requireRole(options.actor, "admin");
  const input = parseInput(CampaignDuplicateInput, options.input ?? {});
  const source = await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "manage" });
  const prisma = getPrisma();
  const copy = await prisma.$transaction(async (tx) => {
    const created = await tx.campaign.create({
      data: {
        name: input.name ?? `${source.name} (copy)`.slice(0, 200),
        description: source.description,
        taskType: source.taskType,
        status: "draft",
        config: source.config as Prisma.InputJsonValue,
        configVersion: source.configVersion,
        createdById: actor.userId,
        duplicatedFromId: source.id,
      },
    });
    await tx.$executeRaw`
      INSERT INTO items (id, campaign_id, external_id, position, prompt, messages, media, metadata, gold, is_gold, human_target)
      SELECT gen_random_uuid(), ${created.id}::uuid, external_id, position, prompt, messages, media, metadata, gold, is_gold, human_target
      FROM items WHERE campaign_id = ${source.id}::uuid`;
    await tx.$executeRaw`
      INSERT INTO responses (id, item_id, external_id, position, content, model, metadata)
      SELECT gen_random_uuid(), copy.id, r.external_id, r.position, r.content, r.model, r.metadata
      FROM items original
      JOIN items copy ON copy.campaign_id = ${created.id}::uuid AND copy.external_id = original.external_id
      JOIN responses r ON r.item_id = original.id
      WHERE original.campaign_id = ${source.id}::uuid`;
    await writeAudit(tx, { actorId: actor.userId, action: "campaign.duplicate", targetType: "campaign", targetId: created.id, campaignId: created.id, data: { from: source.id } });
    return created;
  }, { timeout: 10 * 60_000 });
  return getCampaign({ actor, campaignId: copy.id });
}
