import { z } from "zod";

export const JudgeTaskKind = z.enum(["pairwise", "kwise", "rationale"]);
export type JudgeTaskKind = z.infer<typeof JudgeTaskKind>;

export const JudgeMessage = z.object({
  role: z.string().trim().min(1).max(32),
  content: z.string(),
});
export type JudgeMessage = z.infer<typeof JudgeMessage>;

/** A campaign attribute the judge scores per response, e.g. HelpSteer2's helpfulness 0–4. */
export const JudgeAttribute = z
  .object({
    name: z.string().trim().min(1).max(64),
    description: z.string().max(2_000).optional(),
    min: z.number().int().default(0),
    max: z.number().int().default(4),
  })
  .refine((attribute) => attribute.min < attribute.max, "attribute min must be below max");
export type JudgeAttribute = z.infer<typeof JudgeAttribute>;

export const JudgeCandidate = z.object({
  id: z.string().min(1).max(200),
  /** Text, or several turns when a response spans more than one (hh-rlhf transcripts). */
  content: z.union([z.string(), z.array(JudgeMessage).min(1)]),
});
export type JudgeCandidate = z.infer<typeof JudgeCandidate>;

export const MAX_CANDIDATES = 26;

/**
 * One item to judge: the conversation (`prompt` or `messages`), the candidate responses
 * and the campaign's guidelines and attributes, which the prompt templates render.
 */
export const JudgeTask = z
  .object({
    kind: JudgeTaskKind,
    prompt: z.string().optional(),
    messages: z.array(JudgeMessage).min(1).optional(),
    candidates: z.array(JudgeCandidate).min(2).max(MAX_CANDIDATES),
    guidelines: z.string().max(200_000).default(""),
    attributes: z.array(JudgeAttribute).max(32).default([]),
  })
  .superRefine((task, ctx) => {
    if ((task.prompt === undefined) === (task.messages === undefined)) {
      ctx.addIssue({ code: "custom", path: ["prompt"], message: "give exactly one of prompt or messages" });
    }
    if (task.kind === "pairwise" && task.candidates.length !== 2) {
      ctx.addIssue({ code: "custom", path: ["candidates"], message: "a pairwise task has exactly 2 candidates" });
    }
    const ids = new Set<string>();
    task.candidates.forEach((candidate, index) => {
      if (ids.has(candidate.id)) {
        ctx.addIssue({ code: "custom", path: ["candidates", index, "id"], message: `duplicate candidate id ${candidate.id}` });
      }
      if (candidate.id === "tie") {
        ctx.addIssue({ code: "custom", path: ["candidates", index, "id"], message: '"tie" is reserved for verdicts' });
      }
      ids.add(candidate.id);
    });
    const names = new Set<string>();
    task.attributes.forEach((attribute, index) => {
      if (names.has(attribute.name)) {
        ctx.addIssue({ code: "custom", path: ["attributes", index, "name"], message: `duplicate attribute ${attribute.name}` });
      }
      names.add(attribute.name);
    });
  });
export type JudgeTask = z.output<typeof JudgeTask>;
export type JudgeTaskInput = z.input<typeof JudgeTask>;

/** Pairwise and two-candidate rationale tasks ask for a winner; the rest for a ranking. */
export function verdictShapeOf(task: Pick<JudgeTask, "kind" | "candidates">): "winner" | "ranking" {
  return task.kind === "pairwise" || (task.kind === "rationale" && task.candidates.length === 2) ? "winner" : "ranking";
}
