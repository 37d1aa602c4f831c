import { z } from "zod";
import { getPrisma, type CampaignStatus } from "@arbiter/db";
import { requireRole, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import { AppError, parseInput } from "../errors.ts";
import { writeAudit } from "../audit/write-audit.ts";
import { getCampaign } from "./get-campaign.ts";
import type { CampaignView } from "./campaign-view.ts";

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
  const prisma = getPrisma();
  await prisma.$transaction(async (tx) => {
    const [current] = await tx.$queryRaw<Array<{ status: CampaignStatus }>>`SELECT status FROM campaigns WHERE id = ${options.campaignId}::uuid FOR UPDATE`;
    if (!current) throw new AppError("not_found", "Campaign not found.");
    if (current.status === status) return;
    if (!allowed[current.status].includes(status)) {
      throw new AppError("conflict", `A ${current.status} campaign cannot become ${status}.`);
    }
    await tx.campaign.update({ where: { id: options.campaignId }, data: { status } });
    if (status !== "active") {
      await tx.assignment.updateMany({ where: { campaignId: options.campaignId, status: "leased" }, data: { status: "expired" } });
    }
    await writeAudit(tx, { actorId: actor.userId, action: "campaign.status", targetType: "campaign", targetId: options.campaignId, campaignId: options.campaignId, data: { from: current.status, to: status } });
  });
  return getCampaign({ actor, campaignId: options.campaignId });
}
