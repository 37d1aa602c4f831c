import { z } from "zod";
import { JudgeSettings } from "@arbiter/judge";
import { AppError, parseInput } from "../errors.ts";
import { RewardModelConfig } from "./reward-model-config.ts";
import { MediaHosts } from "./media-hosts.ts";
import { LiveConfig } from "./live-config.ts";

export const TaskTypeInput = z.enum(["pairwise", "kwise", "rationale"]);
export type TaskTypeInput = z.infer<typeof TaskTypeInput>;

export const AttributeSpec = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(40)
      .regex(/^[a-z][a-z0-9_]*$/, "use lowercase letters, digits and _"),
    label: z.string().trim().max(80).optional(),
    min: z.number().int().min(0).max(10).default(0),
    max: z.number().int().min(1).max(10).default(4),
  })
  .refine((a) => a.max > a.min, { message: "max must be greater than min" });
export type AttributeSpec = z.infer<typeof AttributeSpec>;

/** HelpSteer2's five attributes, each 0–4. */
export const helpSteer2Attributes: AttributeSpec[] = ["helpfulness", "correctness", "coherence", "complexity", "verbosity"].map((name) => ({
  name,
  min: 0,
  max: 4,
}));

export const defaultSpanLabels = ["incorrect", "irrelevant", "unsafe", "good"];

const judgeFields = JudgeSettings.in.shape;

/**
 * The campaign's LLM judge: @arbiter/judge's JudgeSettings (base URL, model, the API key only
 * by reference `{env}` / `{secret}`, temperature, concurrency, timeouts, retries, prompt
 * templates, pricing) plus whether judge jobs run. Base URL and model are required once enabled.
 * A `promptVersion` sent back from a read is accepted and ignored: it is always recomputed.
 */
export const JudgeConfig = z
  .object({
    ...judgeFields,
    baseUrl: judgeFields.baseUrl.optional(),
    model: judgeFields.model.optional(),
    enabled: z.boolean().default(false),
    promptVersion: z.string().max(64).optional(),
  })
  .strict()
  .superRefine((judge, ctx) => {
    if (!judge.enabled) return;
    if (!judge.baseUrl) ctx.addIssue({ code: "custom", path: ["baseUrl"], message: "a base URL is needed to enable the judge" });
    if (!judge.model) ctx.addIssue({ code: "custom", path: ["model"], message: "a model is needed to enable the judge" });
  });
export type JudgeConfig = z.infer<typeof JudgeConfig>;

export const RoutingConfig = z
  .object({
    mode: z.enum(["all_human", "all_judge", "hybrid"]).default("all_human"),
    /**
     * Items that may get human labels, calibration items included: a fraction of the campaign's
     * (non-gold) items in [0, 1], or an integer count above 1 (as @arbiter/router's Budget).
     */
    humanBudget: z
      .number()
      .min(0)
      .refine((b) => b <= 1 || Number.isInteger(b), "a budget above 1 is a count of items and must be a whole number")
      .default(1),
    /** Share of the items labelled by both humans and the judge to train the router (within the budget). */
    calibrationFraction: z.number().min(0).max(1).default(0.1),
    seed: z.number().int().default(1),
  })
  .strict();
export type RoutingConfig = z.infer<typeof RoutingConfig>;

export const ArenaConfig = z
  .object({
    enabled: z.boolean().default(false),
  })
  .strict();

export const CampaignConfigInput = z
  .object({
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
    /** Hosts annotators' browsers may load images, audio and video from (item content, guidelines); see media-hosts.ts. */
    mediaHosts: MediaHosts.optional(),
    /** The dataset license written into export cards (an SPDX id or Hugging Face tag, e.g. cc-by-4.0). */
    license: z
      .string()
      .trim()
      .max(100)
      .regex(/^[A-Za-z0-9.+_-]*$/, "use a license id such as cc-by-4.0")
      .optional(),
    hintMode: z.enum(["off", "after_choice", "always"]).default("after_choice"),
    /** Where hints come from: the campaign's own trained model (default) or a pretrained ONNX folder. */
    rewardModel: RewardModelConfig.optional(),
    // Hint gate and no-hint arm (issue 18; reward/reward-model-gate.ts, reward/hint-condition.ts).
    /** "auto": the model's view shows only while its held-out validation passes the gate; "off": always (an experiment; the builder warns). */
    hintGate: z.enum(["auto", "off"]).default("auto"),
    /** Share of tasks (chosen at random per assignment) that get no hints: the control arm of the "hint influence" panel. */
    hintControlShare: z.number().min(0).max(1).default(0.2),
    /**
     * What the hint shows: the reward model's view (default) or the LLM judge's stored verdict on
     * the item (needs a judge; never on gold or calibration items; gated by the judge's agreement
     * with annotators on calibration items — reward/judge-hint-gate.ts).
     */
    hintSource: z.enum(["reward-model", "judge"]).default("reward-model"),
    leaseMinutes: z
      .number()
      .min(0.05)
      .max(24 * 60)
      .default(10),
    goldRate: z.number().min(0).max(1).default(0.1),
    finishStartedFirst: z.boolean().default(true),
    goldPauseThreshold: z.number().min(0).max(1).nullable().default(null),
    /** Gold judgments an annotator must have made before the threshold can pause them. */
    goldPauseMinJudgments: z.number().int().min(1).max(1000).default(5),
    /** K-wise arena: items hold a pool of model outputs; the platform picks which K each annotator sees. */
    arena: ArenaConfig.optional(),
    judge: JudgeConfig.optional(),
    /** Live battles: annotators write prompts, contestants answer on the spot (live-config.ts). */
    live: LiveConfig.optional(),
    routing: RoutingConfig.default({ mode: "all_human", humanBudget: 1, calibrationFraction: 0.1, seed: 1 }),
  })
  .strict();

export type CampaignConfigInput = z.input<typeof CampaignConfigInput>;
export type CampaignConfig = z.infer<typeof CampaignConfigInput> & {
  rationale: "required" | "optional" | "off";
  attributes: AttributeSpec[];
};

/** Applies defaults that depend on the task type (rationale tasks require a rationale and rate attributes). */
export function resolveCampaignConfig(taskType: TaskTypeInput, input: unknown): CampaignConfig {
  const parsed = parseInput(CampaignConfigInput, input ?? {}, "campaign config");
  const isRationale = taskType === "rationale";
  const config: CampaignConfig = {
    ...parsed,
    rationale: parsed.rationale ?? (isRationale ? "required" : "off"),
    attributes: parsed.attributes ?? (isRationale ? helpSteer2Attributes : []),
  };
  if (config.arena?.enabled && comparisonKind(taskType, config) !== "kwise") {
    throw new AppError(
      "unprocessable",
      "Invalid campaign config: arena: the arena needs K-wise comparisons (taskType kwise, or rationale with rationaleBase kwise)",
      { details: [{ path: "arena.enabled", message: "the arena needs K-wise comparisons" }] },
    );
  }
  if (config.hintSource === "judge" && !config.judge) {
    throw new AppError("unprocessable", "Invalid campaign config: hintSource: the judge's verdict as the hint needs an LLM judge (judge)", {
      details: [{ path: "hintSource", message: 'hintSource "judge" needs an LLM judge: configure `judge` first' }],
    });
  }
  if (config.live?.enabled && taskType === "rationale") {
    throw new AppError("unprocessable", "Invalid campaign config: live: live battles need a pairwise or K-wise campaign", {
      details: [{ path: "live", message: "live battles need a pairwise or K-wise campaign" }],
    });
  }
  return config;
}

/** Which comparison an annotator makes: rationale campaigns wrap a pairwise or K-wise comparison. */
export function comparisonKind(taskType: TaskTypeInput, config: CampaignConfig): "pairwise" | "kwise" {
  if (taskType === "rationale") return config.rationaleBase;
  return taskType;
}
