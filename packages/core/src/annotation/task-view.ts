import type { Assignment, Response, TaskType } from "@arbiter/db";
import type { CampaignConfig } from "../campaign-config/campaign-config.ts";
import { comparisonKind } from "../campaign-config/campaign-config.ts";
import type { HintCondition } from "../reward/hint-condition.ts";
import type { RewardModelRef } from "../reward/reward-model-ref.ts";
import type { JudgeHintRef } from "../reward/judge-hint.ts";

export interface TaskView {
  assignmentId: string;
  expiresAt: string;
  campaignId: string;
  taskType: TaskType;
  comparison: "pairwise" | "kwise";
  item: {
    id: string;
    prompt: string | null;
    messages: Array<{ role: string; content: string }> | null;
    media: unknown;
  };
  /** In this assignment's shuffled order; model names are never included. */
  candidates: Array<{ id: string; content: string }>;
  options: {
    allowTie: boolean;
    allowBothBad: boolean;
    strengthScale: boolean;
    kwiseMode: "rank" | "best_only";
    rationale: "required" | "optional" | "off";
    rationaleMinLength: number;
    attributes: CampaignConfig["attributes"];
    spanLabels: string[];
    hintMode: CampaignConfig["hintMode"];
  };
  /** The reward model the page loads for hints (absent when hints are off or no model exists yet). */
  rewardModel?: RewardModelRef;
  /** With `hintSource: "judge"`: the LLM judge's stored verdict on the item, shown as the hint (never on gold or calibration items). */
  judgeHint?: JudgeHintRef;
  /** The hint experiment's arm: "hint" (a hint to show), "control" (withheld: the no-hint arm), "none" (nothing validated to show, or the gate is shut). */
  hintCondition?: HintCondition;
  /** What the campaign's hints show: the reward model's view or the judge's verdict (absent when hints are off). */
  hintSource?: "reward-model" | "judge";
}

export function toTaskView(
  campaign: { id: string; taskType: TaskType; config: unknown },
  assignment: Pick<Assignment, "id" | "candidateOrder" | "expiresAt">,
  item: { externalId: string; prompt: string | null; messages: unknown; media: unknown },
  responses: ReadonlyArray<Pick<Response, "id" | "content">>,
): TaskView {
  const config = campaign.config as CampaignConfig;
  const byId = new Map(responses.map((r) => [r.id, r]));
  return {
    assignmentId: assignment.id,
    expiresAt: assignment.expiresAt.toISOString(),
    campaignId: campaign.id,
    taskType: campaign.taskType,
    comparison: comparisonKind(campaign.taskType, config),
    item: {
      id: item.externalId,
      prompt: item.prompt,
      messages: (item.messages as TaskView["item"]["messages"]) ?? null,
      media: item.media ?? null,
    },
    candidates: assignment.candidateOrder.flatMap((id) => {
      const r = byId.get(id);
      return r ? [{ id: r.id, content: r.content }] : [];
    }),
    options: {
      allowTie: config.allowTie,
      allowBothBad: config.allowBothBad,
      strengthScale: config.strengthScale,
      kwiseMode: config.kwiseMode,
      rationale: config.rationale,
      rationaleMinLength: config.rationaleMinLength,
      attributes: config.attributes,
      spanLabels: config.spanLabels,
      hintMode: config.hintMode,
    },
  };
}
