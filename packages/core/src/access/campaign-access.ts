import type { Campaign } from "@arbiter/db";
import { findCampaign } from "../store/campaigns.ts";
import { findCampaignWithMembership, findMembership } from "../store/members.ts";
import type { Tx } from "../store/transaction.ts";
import { AppError } from "../errors.ts";
import type { Actor } from "./actor.ts";

export type CampaignAccessMode = "read" | "annotate" | "manage";

/**
 * admin: everything; researcher: read any campaign; annotator: only campaigns they are an
 * active member of, and only to annotate or read their own view. Unknown and forbidden
 * campaigns look the same to an annotator (404), so ids cannot be probed.
 */
export async function assertCampaignAccess(options: { actor: Actor; campaignId: string; mode: CampaignAccessMode }): Promise<Campaign> {
  const { actor, campaignId, mode } = options;
  if (!isUuid(campaignId)) throw new AppError("not_found", "Campaign not found.");
  const campaign = await findCampaign(campaignId);
  if (!campaign) throw new AppError("not_found", "Campaign not found.");
  if (actor.role === "admin") return campaign;
  if (actor.role === "researcher") {
    if (mode === "read") return campaign;
    throw new AppError("forbidden", mode === "manage" ? "Only admins can change campaigns." : "Only annotators who are members can annotate.");
  }
  const member = await findMembership(campaignId, actor.userId);
  if (!member) throw new AppError("not_found", "Campaign not found.");
  if (mode === "manage") throw new AppError("forbidden", "Only admins can change campaigns.");
  if (mode === "annotate" && member.status !== "active")
    throw new AppError("forbidden", `Your work on this campaign is paused${member.pauseReason ? `: ${member.pauseReason}` : "."}`);
  return campaign;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}

/** What the task loop needs of a campaign. */
export interface CampaignToAnnotate {
  id: string;
  status: Campaign["status"];
  taskType: Campaign["taskType"];
  config: unknown;
}

/**
 * `assertCampaignAccess` in mode "annotate" as one statement (campaign and the caller's
 * membership together), for the requests an annotator makes for every task. Same answers:
 * unknown or foreign campaigns are 404, researchers and paused members 403.
 */
export async function assertCampaignAnnotatable(db: Tx, actor: Actor, campaignId: string): Promise<CampaignToAnnotate> {
  if (!isUuid(campaignId)) throw new AppError("not_found", "Campaign not found.");
  const row = await findCampaignWithMembership(db, campaignId, actor.userId);
  if (!row) throw new AppError("not_found", "Campaign not found.");
  const campaign: CampaignToAnnotate = { id: row.id, status: row.status, taskType: row.taskType, config: row.config };
  if (actor.role === "admin") return campaign;
  if (actor.role === "researcher") throw new AppError("forbidden", "Only annotators who are members can annotate.");
  if (!row.memberStatus) throw new AppError("not_found", "Campaign not found.");
  if (row.memberStatus !== "active") throw new AppError("forbidden", `Your work on this campaign is paused${row.pauseReason ? `: ${row.pauseReason}` : "."}`);
  return campaign;
}
