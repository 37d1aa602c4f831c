import type { CampaignConfig } from "@arbiter/core/client";

export type TaskType = "pairwise" | "kwise" | "rationale";
export type Attribute = { name: string; label?: string; min: number; max: number };

/** Everything the builder edits (judge and routing are kept as they are: the routing settings own them). */
export interface BuilderState {
  name: string;
  description: string;
  taskType: TaskType;
  overlap: number;
  allowTie: boolean;
  allowBothBad: boolean;
  strengthScale: boolean;
  k: number;
  kwiseMode: "rank" | "best_only";
  rationaleBase: "pairwise" | "kwise";
  rationale: "required" | "optional" | "off";
  rationaleMinLength: number;
  attributes: Attribute[];
  spanLabels: string;
  guidelines: string;
  /** Allowed media hosts, comma- or newline-separated as typed. */
  mediaHosts: string;
  hintMode: "off" | "after_choice" | "always";
  /** "off" shows hints whatever their validation says: an experiment (the builder warns). */
  hintGate: "auto" | "off";
  /** The reward model's view, or the LLM judge's stored verdict (only with a judge). */
  hintSource: "reward-model" | "judge";
  /** Whether the campaign has an LLM judge configured (set in the routing settings): the judge can then be the hint source. */
  hasJudge: boolean;
  leaseMinutes: number;
  goldRatePercent: number;
  finishStartedFirst: boolean;
  goldPauseThresholdPercent: string;
  license: string;
}

export const helpSteer2: Attribute[] = ["helpfulness", "correctness", "coherence", "complexity", "verbosity"].map((name) => ({ name, min: 0, max: 4 }));

export function initialState(campaign?: { name: string; description: string | null; taskType: TaskType; config: CampaignConfig }): BuilderState {
  const c = campaign?.config;
  return {
    name: campaign?.name ?? "",
    description: campaign?.description ?? "",
    taskType: campaign?.taskType ?? "pairwise",
    overlap: c?.overlap ?? 3,
    allowTie: c?.allowTie ?? true,
    allowBothBad: c?.allowBothBad ?? true,
    strengthScale: c?.strengthScale ?? false,
    k: c?.k ?? 4,
    kwiseMode: c?.kwiseMode ?? "rank",
    rationaleBase: c?.rationaleBase ?? "pairwise",
    rationale: c?.rationale ?? "off",
    rationaleMinLength: c?.rationaleMinLength ?? 20,
    attributes: (c?.attributes ?? []).map((a) => ({ name: a.name, ...(a.label ? { label: a.label } : {}), min: a.min, max: a.max })),
    spanLabels: (c?.spanLabels ?? ["incorrect", "irrelevant", "unsafe", "good"]).join(", "),
    guidelines: c?.guidelines ?? "",
    mediaHosts: (c?.mediaHosts ?? []).join(", "),
    hintMode: c?.hintMode ?? "after_choice",
    hintGate: c?.hintGate === "off" ? "off" : "auto",
    hintSource: c?.hintSource === "judge" ? "judge" : "reward-model",
    hasJudge: Boolean(c?.judge),
    leaseMinutes: c?.leaseMinutes ?? 10,
    goldRatePercent: Math.round((c?.goldRate ?? 0.1) * 1000) / 10,
    finishStartedFirst: c?.finishStartedFirst ?? true,
    goldPauseThresholdPercent:
      c?.goldPauseThreshold === null || c?.goldPauseThreshold === undefined ? "" : String(Math.round(c.goldPauseThreshold * 1000) / 10),
    license: c?.license ?? "",
  };
}

export function comparisonOf(state: Pick<BuilderState, "taskType" | "rationaleBase">): "pairwise" | "kwise" {
  return state.taskType === "rationale" ? state.rationaleBase : state.taskType;
}

/**
 * Switching the task kind: a rationale task asks for a written reason (required unless chosen
 * otherwise) and starts from HelpSteer2's attributes; leaving it drops both.
 */
export function withTaskType(state: BuilderState, taskType: TaskType): BuilderState {
  return {
    ...state,
    taskType,
    rationale: taskType === "rationale" ? (state.rationale === "off" ? "required" : state.rationale) : state.taskType === "rationale" ? "off" : state.rationale,
    attributes:
      taskType === "rationale" && state.attributes.length === 0
        ? helpSteer2
        : state.taskType === "rationale" && taskType !== "rationale"
          ? []
          : state.attributes,
  };
}

/** The config the API validates (CampaignConfigInput); `license: null` clears a license. */
export function toConfig(state: BuilderState): Record<string, unknown> {
  const threshold = state.goldPauseThresholdPercent.trim();
  return {
    overlap: state.overlap,
    allowTie: state.allowTie,
    allowBothBad: state.allowBothBad,
    strengthScale: state.strengthScale,
    k: state.k,
    kwiseMode: state.kwiseMode,
    rationaleBase: state.rationaleBase,
    rationale: state.rationale,
    rationaleMinLength: state.rationaleMinLength,
    attributes: state.attributes.map((a) => ({ name: a.name.trim(), ...(a.label?.trim() ? { label: a.label.trim() } : {}), min: a.min, max: a.max })),
    spanLabels: state.spanLabels
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    guidelines: state.guidelines,
    mediaHosts: mediaHostList(state.mediaHosts),
    hintMode: state.hintMode,
    hintGate: state.hintGate,
    hintSource: state.hintSource,
    leaseMinutes: state.leaseMinutes,
    goldRate: state.goldRatePercent / 100,
    finishStartedFirst: state.finishStartedFirst,
    goldPauseThreshold: threshold === "" ? null : Number(threshold) / 100,
    license: state.license.trim() || null,
  };
}

/** The hosts typed in the builder, one per comma or line, as the API takes them. */
export function mediaHostList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((h) => h.trim())
    .filter(Boolean);
}
