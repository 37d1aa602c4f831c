import type { JudgeTaskInput } from "@arbiter/judge";
import { comparisonKind, type CampaignConfig, type TaskTypeInput } from "../campaign-config/campaign-config.ts";

export interface JudgeableItem {
  prompt: string | null;
  messages: unknown;
  responses: ReadonlyArray<{ id: string; content: string; position: number }>;
}

function asMessages(value: unknown): Array<{ role: string; content: string }> | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  const messages = value.filter(
    (m): m is { role: string; content: string } =>
      typeof m === "object" && m !== null && typeof (m as { role?: unknown }).role === "string" && typeof (m as { content?: unknown }).content === "string",
  );
  return messages.length === value.length ? messages : null;
}

/**
 * The judge's view of an item: the conversation, the candidates an annotator would compare
 * (a pair, or the first K responses by import order) under their response ids, and the
 * campaign's guidelines and attributes for the prompt templates.
 */
export function buildJudgeTask(options: { taskType: TaskTypeInput; config: CampaignConfig; item: JudgeableItem }): JudgeTaskInput {
  const { taskType, config, item } = options;
  const comparison = comparisonKind(taskType, config);
  const ordered = [...item.responses].sort((a, b) => a.position - b.position);
  const count = comparison === "pairwise" ? 2 : Math.min(config.k, ordered.length);
  const messages = asMessages(item.messages);
  return {
    kind: taskType === "rationale" ? "rationale" : comparison,
    ...(messages ? { messages } : { prompt: item.prompt ?? "" }),
    candidates: ordered.slice(0, count).map((r) => ({ id: r.id, content: r.content })),
    guidelines: config.guidelines,
    attributes: config.attributes.map((a) => ({ name: a.name, ...(a.label ? { description: a.label } : {}), min: a.min, max: a.max })),
  };
}
