import { z } from "zod";
import { parseInput } from "../errors.ts";

export const TaskTypeInput = z.enum(["pairwise", "kwise", "rationale"]);
export type TaskTypeInput = z.infer<typeof TaskTypeInput>;

export const AttributeSpec = z.object({
  name: z.string().trim().min(1).max(40).regex(/^[a-z][a-z0-9_]*$/, "use lowercase letters, digits and _"),
  label: z.string().trim().max(80).optional(),
  min: z.number().int().min(0).max(10).default(0),
  max: z.number().int().min(1).max(10).default(4),
}).refine((a) => a.max > a.min, { message: "max must be greater than min" });
export type AttributeSpec = z.infer<typeof AttributeSpec>;

/** HelpSteer2's five attributes, each 0–4. */
export const helpSteer2Attributes: AttributeSpec[] = ["helpfulness", "correctness", "coherence", "complexity", "verbosity"].map((name) => ({ name, min: 0, max: 4 }));

export const defaultSpanLabels = ["incorrect", "irrelevant", "unsafe", "good"];

/** Judge settings are validated in full by @arbiter/judge; the campaign only keeps them. */
export const JudgeConfig = z.object({
  enabled: z.boolean().default(false),
  baseUrl: z.string().url().optional(),
  model: z.string().min(1).optional(),
  apiKeyRef: z.union([z.object({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/) }), z.object({ secret: z.string().min(1) })]).optional(),
  temperature: z.number().min(0).max(2).default(0),
  maxConcurrency: z.number().int().min(1).max(64).default(4),
  timeoutMs: z.number().int().min(1000).max(600_000).default(60_000),
  promptTemplates: z.record(z.string(), z.string()).optional(),
}).strict();

export const RoutingConfig = z.object({
  mode: z.enum(["all_human", "all_judge", "hybrid"]).default("all_human"),
  /** A fraction of items (0–1) or an absolute count of items for humans. */
  humanBudget: z.number().min(0).default(1),
  calibrationFraction: z.number().min(0).max(1).default(0.1),
  seed: z.number().int().default(1),
}).strict();

export const CampaignConfigInput = z.object({
  overlap: z.number().int().min(1).max(50).default(3),
  allowTie: z.boolean().default(true),
  allowBothBad: z.boolean().default(true),
  strengthScale: z.boolean().default(false),
  k: z.number().int().min(2).max(9).default(4),
  kwiseMode: z.enum(["rank", "best_only"]).default("rank"),
  /** For rationale campaigns: the comparison the rationale is written for. */
  rationaleBase: z.enum(["pairwise", "kwise"]).default("pairwise"),
  rationale: z.enum(["required", "optional", "off"]).optional(),
  rationaleMinLength: z.number().int().min(0).max(5000).default(20),
  attributes: z.array(AttributeSpec).max(12).optional(),
  spanLabels: z.array(z.string().trim().min(1).max(30)).max(12).default(defaultSpanLabels),
  guidelines: z.string().max(100_000).default(""),
  hintMode: z.enum(["off", "after_choice", "always"]).default("after_choice"),
  leaseMinutes: z.number().min(0.05).max(24 * 60).default(10),
  goldRate: z.number().min(0).max(1).default(0.1),
  finishStartedFirst: z.boolean().default(true),
  goldPauseThreshold: z.number().min(0).max(1).nullable().default(null),
  judge: JudgeConfig.optional(),
  routing: RoutingConfig.default({ mode: "all_human", humanBudget: 1, calibrationFraction: 0.1, seed: 1 }),
}).strict();

export type CampaignConfigInput = z.input<typeof CampaignConfigInput>;
export type CampaignConfig = z.infer<typeof CampaignConfigInput> & {
  rationale: "required" | "optional" | "off";
  attributes: AttributeSpec[];
};

/** Applies defaults that depend on the task type (rationale tasks require a rationale and rate attributes). */
export function resolveCampaignConfig(taskType: TaskTypeInput, input: unknown): CampaignConfig {
  const parsed = parseInput(CampaignConfigInput, input ?? {}, "campaign config");
  const isRationale = taskType === "rationale";
  return {
    ...parsed,
    rationale: parsed.rationale ?? (isRationale ? "required" : "off"),
    attributes: parsed.attributes ?? (isRationale ? helpSteer2Attributes : []),
  };
}

/** Which comparison an annotator makes: rationale campaigns wrap a pairwise or K-wise comparison. */
export function comparisonKind(taskType: TaskTypeInput, config: CampaignConfig): "pairwise" | "kwise" {
  if (taskType === "rationale") return config.rationaleBase;
  return taskType;
}
