import { z } from "zod";
import { TIE, type CalibrationItem, type RoutingItem } from "../types.ts";

const Message = z.object({ role: z.string(), content: z.string() });
const Response = z.object({ id: z.string().min(1), content: z.string(), model: z.string().optional() });
const Judge = z.object({
  /** null: the judge gave no verdict (e.g. an unparseable answer). */
  winner: z.string().min(1).nullable(),
  confidence: z.number().min(0).max(1).optional(),
  consistent: z.boolean().optional(),
});

/**
 * One line of a route:eval input file. Unknown keys — a `gold` label above all — are dropped by
 * the parser, so nothing downstream can read them.
 */
export const RoutingInputLine = z
  .object({
    id: z.string().min(1),
    prompt: z.string().optional(),
    messages: z.array(Message).min(1).optional(),
    responses: z.array(Response).min(2, "expected at least 2 responses"),
    judge: Judge,
    human: z.array(z.string()).min(1, "expected at least one human label when present").optional(),
    rewardScores: z.record(z.string(), z.number()).optional(),
  })
  .superRefine((line, ctx) => {
    if (line.prompt === undefined && line.messages === undefined) {
      ctx.addIssue({ code: "custom", message: 'expected "prompt" or "messages"', path: ["prompt"] });
    }
    const responseIds = line.responses.map((r) => r.id);
    if (new Set(responseIds).size !== responseIds.length) {
      ctx.addIssue({ code: "custom", message: "response ids must be unique", path: ["responses"] });
    }
    const allowed = new Set([...responseIds, TIE]);
    if (line.judge.winner !== null && !allowed.has(line.judge.winner)) {
      ctx.addIssue({ code: "custom", message: `"${line.judge.winner}" is neither a response id nor "tie"`, path: ["judge", "winner"] });
    }
    line.human?.forEach((label, i) => {
      if (!allowed.has(label)) ctx.addIssue({ code: "custom", message: `"${label}" is neither a response id nor "tie"`, path: ["human", i] });
    });
  });

export type ParsedRoutingLine = { kind: "calibration"; item: CalibrationItem } | { kind: "route"; item: RoutingItem };

/** Parses one JSONL line; throws an Error whose message names the offending field. */
export function parseRoutingLine(text: string): ParsedRoutingLine {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`invalid JSON (${(error as Error).message})`, { cause: error });
  }
  const result = RoutingInputLine.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
    throw new Error(`${where}${issue?.message ?? "invalid line"}`);
  }
  const { human, ...item } = result.data;
  return human ? { kind: "calibration", item: { ...item, human } } : { kind: "route", item };
}
