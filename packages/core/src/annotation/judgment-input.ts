import { z } from "zod";
import { AppError, type ErrorDetail } from "../errors.ts";
import type { CampaignConfig } from "../campaign-config/campaign-config.ts";

const Span = z
  .object({
    candidateId: z.string().min(1),
    start: z.number().int().min(0),
    end: z.number().int().min(1),
    label: z.string().min(1).max(30),
    note: z.string().max(1000).optional(),
  })
  .strict();

export const JudgmentInput = z
  .object({
    winner: z.string().min(1).optional(),
    strength: z.number().int().min(1).max(3).optional(),
    ranking: z
      .array(z.array(z.string().min(1)).min(1))
      .min(1)
      .max(9)
      .optional(),
    rationale: z.string().max(20_000).optional(),
    attributes: z.record(z.string(), z.record(z.string(), z.number().int())).optional(),
    spans: z.array(Span).max(200).optional(),
    timeMs: z.number().int().min(0).max(86_400_000).optional(),
    hint: z
      .object({
        shown: z.boolean(),
        changedMind: z.boolean().optional(),
        modelVersion: z.number().int().optional(),
        agreed: z.boolean().optional(),
        /** What the hint was: the reward model's view (default) or the judge's verdict. */
        source: z.enum(["reward-model", "judge"]).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type JudgmentInput = z.infer<typeof JudgmentInput>;

export interface CheckedVerdict {
  verdict: "winner" | "tie" | "both_bad" | "ranking";
  winnerId: string | null;
  ranking: string[][] | null;
  strength: number | null;
}

/** Checks a judgment against the candidates actually shown and the campaign's options; every problem is listed. */
export function checkJudgment(
  input: JudgmentInput,
  options: { comparison: "pairwise" | "kwise"; config: CampaignConfig; candidates: Array<{ id: string; content: string }> },
): CheckedVerdict {
  const { config, comparison } = options;
  const ids = new Set(options.candidates.map((c) => c.id));
  const problems: ErrorDetail[] = [];
  const fail = (path: string, message: string) => problems.push({ path, message });
  let result: CheckedVerdict = { verdict: "winner", winnerId: null, ranking: null, strength: null };

  const pickOne = comparison === "pairwise" || config.kwiseMode === "best_only";
  if (pickOne) {
    if (input.ranking)
      fail("ranking", comparison === "pairwise" ? "pairwise tasks take a winner, not a ranking" : "this campaign asks for the best response only: send winner");
    if (input.winner === undefined) fail("winner", "winner is required");
    else if (input.winner === "tie") {
      if (!config.allowTie) fail("winner", "ties are not allowed in this campaign");
      result = { ...result, verdict: "tie" };
    } else if (input.winner === "both_bad") {
      if (!config.allowBothBad) fail("winner", "both_bad is not allowed in this campaign");
      result = { ...result, verdict: "both_bad" };
    } else if (!ids.has(input.winner)) fail("winner", `unknown candidate id ${input.winner}`);
    else result = { ...result, verdict: "winner", winnerId: input.winner };
    if (input.strength !== undefined) {
      if (!config.strengthScale) fail("strength", "this campaign does not use a strength scale");
      else if (result.verdict !== "winner") fail("strength", "strength applies only when one response wins");
      else result.strength = input.strength;
    }
  } else {
    if (input.winner !== undefined) fail("winner", "K-wise tasks take a ranking, not a winner");
    if (!input.ranking) fail("ranking", "ranking is required");
    else {
      const seen = new Set<string>();
      input.ranking.forEach((group, g) =>
        group.forEach((id, j) => {
          if (!ids.has(id)) fail(`ranking.${g}.${j}`, `unknown candidate id ${id}`);
          else if (seen.has(id)) fail(`ranking.${g}.${j}`, `candidate ${id} is named twice`);
          seen.add(id);
        }),
      );
      for (const id of ids) if (!seen.has(id)) fail("ranking", `candidate ${id} is missing from the ranking`);
      if (!config.allowTie && input.ranking.some((g) => g.length > 1)) fail("ranking", "ties are not allowed in this campaign");
      result = { ...result, verdict: "ranking", ranking: input.ranking };
    }
    if (input.strength !== undefined) fail("strength", "strength applies to pairwise tasks only");
  }

  const rationale = input.rationale?.trim() ?? "";
  if (config.rationale === "required" && rationale.length < config.rationaleMinLength) {
    fail("rationale", `a rationale of at least ${config.rationaleMinLength} characters is required (got ${rationale.length})`);
  } else if (config.rationale === "optional" && rationale.length > 0 && rationale.length < config.rationaleMinLength) {
    fail("rationale", `a rationale, when given, needs at least ${config.rationaleMinLength} characters (got ${rationale.length})`);
  }

  const attributeSpecs = new Map(config.attributes.map((a) => [a.name, a]));
  for (const [candidateId, ratings] of Object.entries(input.attributes ?? {})) {
    if (!ids.has(candidateId)) fail(`attributes.${candidateId}`, `unknown candidate id ${candidateId}`);
    for (const [name, value] of Object.entries(ratings)) {
      const spec = attributeSpecs.get(name);
      if (!spec) fail(`attributes.${candidateId}.${name}`, `unknown attribute ${name}`);
      else if (value < spec.min || value > spec.max) fail(`attributes.${candidateId}.${name}`, `${name} must be between ${spec.min} and ${spec.max}`);
    }
  }

  const contentById = new Map(options.candidates.map((c) => [c.id, c.content]));
  const labels = new Set(config.spanLabels);
  (input.spans ?? []).forEach((span, i) => {
    const content = contentById.get(span.candidateId);
    if (content === undefined) fail(`spans.${i}.candidateId`, `unknown candidate id ${span.candidateId}`);
    else if (span.end <= span.start || span.end > content.length)
      fail(`spans.${i}`, `span ${span.start}–${span.end} is outside the response (length ${content.length})`);
    if (!labels.has(span.label)) fail(`spans.${i}.label`, `unknown span label ${span.label}; allowed: ${[...labels].join(", ")}`);
  });

  if (problems.length > 0) {
    const first = problems[0] as ErrorDetail;
    throw new AppError("unprocessable", `Invalid judgment: ${first.path}: ${first.message}`, { details: problems });
  }
  return result;
}
