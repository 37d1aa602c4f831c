import { z } from "zod";
import type { JudgeAttribute } from "./judge-task.ts";

/** A verdict as the judge gave it, in the labels of the order it was shown. */
export interface LabelledVerdict {
  /** Set when a winner was asked for. */
  winner?: string;
  /** Best first; inner lists are ties. Derived from `winner` for pairwise verdicts. */
  ranking: string[][];
  confidence: number;
  rationale: string;
  /** label → attribute name → score; only known labels, attributes and in-range scores. */
  attributes: Record<string, Record<string, number>>;
}

export interface VerdictExpectation {
  shape: "winner" | "ranking";
  labels: string[];
  attributes: JudgeAttribute[];
  requireRationale: boolean;
}

export class VerdictParseError extends Error {
  override readonly name = "VerdictParseError";
}

/** The bracket-balanced `{...}` spans of `text`, in order, honouring JSON string escapes. */
function* objectSpans(text: string): Generator<string> {
  for (let start = text.indexOf("{"); start !== -1; start = text.indexOf("{", start + 1)) {
    let depth = 0;
    let inString = false;
    for (let index = start; index < text.length; index++) {
      const char = text[index];
      if (inString) {
        if (char === "\\") index++;
        else if (char === '"') inString = false;
      } else if (char === '"') {
        inString = true;
      } else if (char === "{") {
        depth++;
      } else if (char === "}" && --depth === 0) {
        yield text.slice(start, index + 1);
        break;
      }
    }
  }
}

/**
 * The first JSON object in a model reply. Servers often ignore `response_format`, so the
 * reply may carry a reasoning model's `<think>` block, code fences or prose around it.
 */
export function extractJsonObject(reply: string): Record<string, unknown> {
  const withoutThinking = reply.replace(/<think>[\s\S]*?<\/think>/gi, "").replace(/^[\s\S]*<\/think>/i, "");
  const fenced = [...withoutThinking.matchAll(/```[a-zA-Z]*\s*\n?([\s\S]*?)```/g)].map((match) => match[1] ?? "");
  for (const source of [...fenced, withoutThinking]) {
    for (const span of objectSpans(source)) {
      try {
        const value: unknown = JSON.parse(span);
        if (value !== null && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
      } catch {
        // Not JSON (prose with braces, a truncated object): try the next span.
      }
    }
  }
  throw new VerdictParseError(reply.trim() === "" ? "the reply is empty" : "the reply contains no JSON object");
}

function normalizeLabel(value: string): string {
  const cleaned = value
    .trim()
    .replace(/^(response|answer|assistant|candidate)\s+/i, "")
    .replace(/[\s"'`.)]+$/g, "");
  if (/^(tie|draw|equal|both)$/i.test(cleaned)) return "tie";
  return cleaned.length === 1 ? cleaned.toUpperCase() : cleaned;
}

const Label = z.string().transform(normalizeLabel);

const Confidence = z.preprocess(
  (value) => (typeof value === "string" && value.trim() !== "" ? Number(value.trim().replace(/%$/, "")) : value),
  // Small models sometimes answer in percent.
  z
    .number()
    .min(0)
    .max(100)
    .transform((value) => (value > 1 ? value / 100 : value)),
);

const RawVerdict = z.object({
  winner: Label.optional(),
  ranking: z.array(z.union([Label, z.array(Label)])).optional(),
  confidence: Confidence,
  rationale: z.string().optional(),
  attributes: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
});

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "reply"}: ${issue.message}`).join("; ");
}

function cleanAttributes(raw: Record<string, Record<string, unknown>> | undefined, expectation: VerdictExpectation): Record<string, Record<string, number>> {
  const scores: Record<string, Record<string, number>> = {};
  if (!raw || expectation.attributes.length === 0) return scores;
  for (const [rawLabel, ratings] of Object.entries(raw)) {
    const label = normalizeLabel(rawLabel);
    if (!expectation.labels.includes(label)) continue;
    for (const attribute of expectation.attributes) {
      const value = Number(ratings[attribute.name]);
      if (ratings[attribute.name] === null || !Number.isFinite(value)) continue;
      if (value < attribute.min || value > attribute.max) continue;
      (scores[label] ??= {})[attribute.name] = value;
    }
  }
  return scores;
}

function checkRanking(ranking: string[][], labels: string[]): void {
  const seen = ranking.flat();
  const unknown = seen.filter((label) => !labels.includes(label));
  if (unknown.length > 0) throw new VerdictParseError(`ranking names unknown labels: ${unknown.join(", ")}`);
  const missing = labels.filter((label) => !seen.includes(label));
  if (missing.length > 0) throw new VerdictParseError(`ranking leaves out ${missing.join(", ")}`);
  if (seen.length !== labels.length) throw new VerdictParseError("ranking names a label more than once");
}

/** Parses and validates a judge reply; throws VerdictParseError saying what is wrong. */
export function parseJudgeVerdict(reply: string, expectation: VerdictExpectation): LabelledVerdict {
  const parsed = RawVerdict.safeParse(extractJsonObject(reply));
  if (!parsed.success) throw new VerdictParseError(describeIssues(parsed.error));
  const raw = parsed.data;
  const rationale = (raw.rationale ?? "").trim();
  if (expectation.requireRationale && rationale === "") throw new VerdictParseError("rationale: required");
  const attributes = cleanAttributes(raw.attributes, expectation);

  if (expectation.shape === "winner") {
    const winner = raw.winner;
    if (winner === undefined) throw new VerdictParseError("winner: required");
    if (winner !== "tie" && !expectation.labels.includes(winner)) {
      throw new VerdictParseError(`winner: expected ${expectation.labels.join(", ")} or tie, got ${JSON.stringify(winner)}`);
    }
    const ranking = winner === "tie" ? [[...expectation.labels]] : [[winner], expectation.labels.filter((label) => label !== winner)];
    return { winner, ranking, confidence: raw.confidence, rationale, attributes };
  }

  if (raw.ranking === undefined) throw new VerdictParseError("ranking: required");
  const ranking = raw.ranking.map((group) => (Array.isArray(group) ? group : [group])).filter((group) => group.length > 0);
  checkRanking(ranking, expectation.labels);
  return { ranking, confidence: raw.confidence, rationale, attributes };
}
