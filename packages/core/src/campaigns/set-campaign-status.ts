import { z } from "zod";
import type { CampaignStatus } from "@arbiter/db";
import { requireRole, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import { AppError, parseInput } from "../errors.ts";
import { writeAudit } from "../audit/write-audit.ts";
import { getCampaign } from "./get-campaign.ts";
import type { CampaignView } from "./campaign-view.ts";
import { countCampaignStartRequirements, expireCampaignLeases, lockCampaignStatus, saveCampaignChanges, type CampaignStartCounts } from "../store/campaigns.ts";
import { inPrismaTransaction } from "../store/transaction.ts";

export const CampaignStatusInput = z.object({ status: z.enum(["active", "paused", "closed"]) }).strict();

const allowed: Record<CampaignStatus, CampaignStatus[]> = {
  draft: ["active", "closed"],
  active: ["paused", "closed"],
  paused: ["active", "closed"],
  closed: [],
};

/**
 * Why a campaign cannot be started (made active); none when it can: annotators need regular
 * items to judge (gold checks alone end at once with "All done here") and someone to judge them.
 */
export function startBlockers(counts: CampaignStartCounts): string[] {
  const reasons: string[] = [];
  if (counts.regularItems === 0)
    reasons.push(
      counts.goldItems > 0
        ? `it has no regular items: all ${counts.goldItems} items are gold checks (import items without "use the file's labels as gold", or more items)`
        : "it has no items (import some first)",
    );
  if (counts.members === 0) reasons.push("it has no annotators (add members first)");
  return reasons;
}

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
    if (status === "active") {
      const counts = await countCampaignStartRequirements(tx, options.campaignId);
      const reasons = startBlockers(counts);
      if (reasons.length > 0)
        throw new AppError("conflict", `The campaign cannot start: ${reasons.join("; ")}.`, {
          details: reasons.map((message) => ({ message })),
        });
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
