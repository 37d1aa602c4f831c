import { z } from "zod";
import { requireRole, type Actor } from "../access/actor.ts";
import { assertCampaignAccess } from "../access/campaign-access.ts";
import { AppError, parseInput, type ErrorDetail } from "../errors.ts";
import { writeAudit } from "../audit/write-audit.ts";
import { LiveConfig } from "../campaign-config/live-config.ts";
import { assertLiveConfigAllowed, bindContestantSecrets, contestantsWithStoredCredentials } from "../battles/vet-live-config.ts";
import { comparisonKind, resolveCampaignConfig, TaskTypeInput, type CampaignConfig } from "../campaign-config/campaign-config.ts";
import { getCampaign } from "./get-campaign.ts";
import { assertJudgeConfigAllowed, bindJudgeSecret, withStoredCredentials } from "../llm-judge/vet-judge-config.ts";
import type { CampaignView } from "./campaign-view.ts";
import {
  countCampaignJudgments,
  expireCampaignLeases,
  findCampaignOrThrow,
  lockCampaign,
  saveCampaignChanges,
  type CampaignChanges,
} from "../store/campaigns.ts";
import { inPrismaTransaction } from "../store/transaction.ts";

export const CampaignUpdateInput = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(5000).nullable().optional(),
    taskType: TaskTypeInput.optional(),
    /** Merged key by key over the current config, then validated whole. */
    config: z.record(z.string(), z.unknown()).optional(),
    /** Apply a change that would make collected judgments inconsistent with the campaign. */
    confirm: z.boolean().default(false),
  })
  .strict();

/**
 * What a change means for judgments already collected. Each entry names the field and why; an
 * empty list means the change is safe. Options that only affect what annotators see next
 * (overlap, guidelines, gold rate, lease, hints) never need confirmation.
 */
export function judgmentInvalidatingChanges(
  before: { taskType: TaskTypeInput; config: CampaignConfig },
  after: { taskType: TaskTypeInput; config: CampaignConfig },
): ErrorDetail[] {
  const changes: ErrorDetail[] = [];
  const add = (path: string, message: string) => changes.push({ path, message, reason: "needs_confirmation" });
  if (before.taskType !== after.taskType) add("taskType", `the task type changes from ${before.taskType} to ${after.taskType}`);
  const kindBefore = comparisonKind(before.taskType, before.config);
  const kindAfter = comparisonKind(after.taskType, after.config);
  if (before.taskType === after.taskType && kindBefore !== kindAfter) add("config.rationaleBase", `the comparison changes from ${kindBefore} to ${kindAfter}`);
  if (kindAfter === "kwise" && before.config.k !== after.config.k)
    add("config.k", `K changes from ${before.config.k} to ${after.config.k}: judgments so far rank a different number of responses`);
  if (kindAfter === "kwise" && before.config.kwiseMode !== after.config.kwiseMode)
    add("config.kwiseMode", `the K-wise mode changes from ${before.config.kwiseMode} to ${after.config.kwiseMode}`);
  if (before.config.allowTie && !after.config.allowTie) add("config.allowTie", "ties are no longer allowed, but collected judgments may contain ties");
  if (before.config.allowBothBad && !after.config.allowBothBad)
    add("config.allowBothBad", '"both bad" is no longer allowed, but collected judgments may use it');
  if (before.config.strengthScale !== after.config.strengthScale)
    add(
      "config.strengthScale",
      `the strength scale is turned ${after.config.strengthScale ? "on" : "off"}: judgments so far ${after.config.strengthScale ? "have no strength" : "carry one"}`,
    );
  const attributes = (c: CampaignConfig) => JSON.stringify(c.attributes.map((a) => [a.name, a.min, a.max]));
  if (attributes(before.config) !== attributes(after.config)) add("config.attributes", "the rated attributes or their scales change");
  return changes;
}

/**
 * Changes a campaign's name, description, task type or config (admins). A change that would
 * make collected judgments inconsistent with the campaign (task type, K, K-wise mode, allowed
 * verdicts, strength scale, attributes) answers 409 listing each one, unless `confirm` is true;
 * confirmed, open leases are released so new tasks follow the new settings. A closed campaign
 * keeps its config (only name and description may change).
 */
export async function updateCampaign(options: { actor: Actor | null; campaignId: string; input: unknown }): Promise<CampaignView> {
  const actor = requireRole(options.actor, "admin");
  const input = parseInput(CampaignUpdateInput, options.input);
  const current = await assertCampaignAccess({ actor, campaignId: options.campaignId, mode: "manage" });
  // Judge settings set through the campaign's config obey the judge's own rules (hosts, keys, secrets).
  const sentJudge = input.config?.judge;
  if (sentJudge && typeof sentJudge === "object" && !Array.isArray(sentJudge)) {
    const storedJudge = (current.config as unknown as CampaignConfig).judge;
    input.config = { ...input.config, judge: withStoredCredentials(sentJudge as { baseUrl?: string }, storedJudge) };
    await assertJudgeConfigAllowed(input.config.judge as CampaignConfig["judge"]);
  }
  // Contestants follow the judge's rules too: a base URL sent back redacted means the stored one, and secrets are bound to their origin.
  const sentLive = input.config?.live;
  if (sentLive) {
    input.config = { ...input.config, live: contestantsWithStoredCredentials(sentLive, (current.config as unknown as CampaignConfig).live) };
    await assertLiveConfigAllowed(parseInput(LiveConfig, input.config.live, "campaign config live"));
  }
  await inPrismaTransaction(async (tx) => {
    if (!(await lockCampaign(tx, options.campaignId))) throw new AppError("not_found", "Campaign not found.");
    const campaign = await findCampaignOrThrow(tx, options.campaignId);
    const data: CampaignChanges = {};
    if (input.name !== undefined) data.name = input.name;
    if (input.description !== undefined) data.description = input.description;
    const changesSettings = input.taskType !== undefined || input.config !== undefined;
    let invalidating: ErrorDetail[] = [];
    if (changesSettings) {
      if (campaign.status === "closed")
        throw new AppError("conflict", "This campaign is closed; its settings are kept as they were. Duplicate it to run it again with other settings.");
      const before = { taskType: campaign.taskType, config: campaign.config as unknown as CampaignConfig };
      const taskType = input.taskType ?? campaign.taskType;
      const merged: Record<string, unknown> = { ...(campaign.config as Record<string, unknown>), ...(input.config ?? {}) };
      // Task-type defaults (a rationale is required and attributes rated for rationale tasks) follow a new task type unless given.
      if (taskType !== campaign.taskType) {
        if (!input.config || !("rationale" in input.config)) delete merged.rationale;
        if (!input.config || !("attributes" in input.config)) delete merged.attributes;
      }
      for (const [key, value] of Object.entries(merged)) if (value === null && key !== "goldPauseThreshold") delete merged[key];
      const config = resolveCampaignConfig(taskType, merged);
      if (sentJudge !== undefined) await bindJudgeSecret(tx, { campaignId: campaign.id, judge: config.judge, previous: before.config.judge });
      if (sentLive) await bindContestantSecrets(tx, { campaignId: campaign.id, live: config.live, previous: before.config.live });
      const judgments = await countCampaignJudgments(tx, campaign.id);
      invalidating = judgments > 0 ? judgmentInvalidatingChanges(before, { taskType, config }) : [];
      if (invalidating.length > 0 && !input.confirm) {
        throw new AppError(
          "conflict",
          `This change affects the ${judgments} judgment${judgments === 1 ? "" : "s"} already collected: ${invalidating.map((c) => c.message).join("; ")}. Send "confirm": true to apply it anyway.`,
          { details: invalidating },
        );
      }
      data.taskType = taskType;
      data.config = config;
    }
    if (Object.keys(data).length === 0) return;
    await saveCampaignChanges(tx, campaign.id, data);
    if (invalidating.length > 0) {
      await expireCampaignLeases(tx, campaign.id);
    }
    await writeAudit(tx, {
      actorId: actor.userId,
      action: "campaign.update",
      targetType: "campaign",
      targetId: campaign.id,
      campaignId: campaign.id,
      data: { fields: Object.keys(data), ...(invalidating.length > 0 ? { confirmed: invalidating.map((c) => c.path ?? "") } : {}) },
    });
  });
  return getCampaign({ actor, campaignId: options.campaignId });
}
