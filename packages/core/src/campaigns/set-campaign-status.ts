import { z } from "zod";
import type { CampaignStatus } from "@arbiter/db";
import { requireRole, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import { AppError, parseInput } from "../errors.ts";
import { writeAudit } from "../audit/write-audit.ts";
import { getCampaign } from "./get-campaign.ts";
import type { CampaignView } from "./campaign-view.ts";
import { expireCampaignLeases, lockCampaignStatus, saveCampaignChanges } from "../store/campaigns.ts";
import { inPrismaTransaction } from "../store/transaction.ts";

export const CampaignStatusInput = z.object({ status: z.enum(["active", "paused", "closed"]) }).strict();

const allowed: Record<CampaignStatus, CampaignStatus[]> = {
  draft: ["active", "closed"],
  active: ["paused", "closed"],
  paused: ["active", "closed"],
  closed: [],
};

/** Closing keeps every item and judgment; it only stops new work. Open leases are released on pause and close. */
export async function setCampaignStatus(options: { actor: Actor | null; campaignId: string; input: unknown }): Promise<CampaignView> {
  const actor = requireRole(options.actor, "admin");
  const { status } = parseInput(CampaignStatusInput, options.input);
  await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "manage" });
  await inPrismaTransaction(async (tx) => {
    const current = await lockCampaignStatus(tx, options.campaignId);
    if (!current) throw new AppError("not_found", "Campaign not found.");
    if (current === status) return;
    if (!allowed[current].includes(status)) {
      throw new AppError("conflict", `A ${current} campaign cannot become ${status}.`);
    }
    await saveCampaignChanges(tx, options.campaignId, { status });
    if (status !== "active") {
      await expireCampaignLeases(tx, options.campaignId);
    }
    await writeAudit(tx, {
      actorId: actor.userId,
      action: "campaign.status",
      targetType: "campaign",
      targetId: options.campaignId,
      campaignId: options.campaignId,
      data: { from: current, to: status },
    });
  });
  return getCampaign({ actor, campaignId: options.campaignId });
}
