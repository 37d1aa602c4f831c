import { createReadStream, createWriteStream } from "node:fs";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { parseRoutingLine } from "../input/routing-input-line.ts";
import { judgeHumanAgreement } from "../labels/judge-human-agreement.ts";
import type { DisagreementModel } from "../model/disagreement-model.ts";
import { trainDisagreementModel } from "../model/train-disagreement-model.ts";
import { routeToHumanOrJudge } from "../route/route-to-human-or-judge.ts";
import type { Budget, CalibrationItem, RoutingItem } from "../types.ts";

export interface RouteJsonlFileOptions {
  dataPath: string;
  outPath: string;
  budget: Budget;
  seed: number;
  /** Adds each decision's doubt level, rank and top features to the output lines. */
  explain?: boolean;
}

/** Raised for problems in the input file; the CLI exits with status 2 on it. */
export class InputError extends Error {
  constructor(
    message: string,
    readonly lineErrors: readonly string[] = [],
  ) {
    super(message);
  }
}

const MAX_REPORTED_LINE_ERRORS = 20;

function describeModel(model: DisagreementModel) {
  if (model.kind === "judge-uncertainty") {
    return { kind: model.kind, trainedOn: model.trainedOn, positiveRate: model.positiveRate, reason: model.reason, validation: model.validation ?? null };
  }
  return {
    kind: model.kind,
    featureSet: model.featureSet,
    trainedOn: model.trainedOn,
    positiveRate: model.positiveRate,
    l2: model.l2,
    validation: model.validation,
  };
}

function topModelFeatures(model: DisagreementModel, count: number) {
  if (model.kind !== "logistic") return [];
  return [...model.features]
    .sort((a, b) => Math.abs(b.coefficient) - Math.abs(a.coefficient))
    .slice(0, count)
    .map((f) => ({ feature: f.name, coefficient: Number(f.coefficient.toFixed(4)) }));
}

/**
 * Reads a JSONL file line by line, trains the disagreement model on the lines that carry human
 * labels, routes every other line, writes one decision per routed line and returns a summary.
 */
export async function routeJsonlFile(options: RouteJsonlFileOptions) {
  const calibration: CalibrationItem[] = [];
  const toRoute: RoutingItem[] = [];
  const lineErrors: string[] = [];
  const seenIds = new Map<string, number>();
  let lineNumber = 0;

  const input = createReadStream(options.dataPath, { encoding: "utf8" });
  await once(input, "open").catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`cannot read ${options.dataPath}: ${error.code ?? error.message}`);
  });
  for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber++;
    if (raw.trim() === "") continue;
    try {
      const parsed = parseRoutingLine(raw);
      const firstSeen = seenIds.get(parsed.item.id);
      if (firstSeen !== undefined) throw new Error(`id "${parsed.item.id}" already used on line ${firstSeen}`);
      seenIds.set(parsed.item.id, lineNumber);
      if (parsed.kind === "calibration") calibration.push(parsed.item);
      else toRoute.push(parsed.item);
    } catch (error) {
      lineErrors.push(`line ${lineNumber}: ${(error as Error).message}`);
    }
  }
  if (lineErrors.length > 0) {
    const shown = lineErrors.slice(0, MAX_REPORTED_LINE_ERRORS);
    const more = lineErrors.length > shown.length ? [`… and ${lineErrors.length - shown.length} more bad line(s)`] : [];
    throw new InputError(`${options.dataPath}: ${lineErrors.length} bad line(s)\n${[...shown, ...more].join("\n")}`, lineErrors);
  }

  const model = trainDisagreementModel({ items: calibration, seed: options.seed });
  const result = routeToHumanOrJudge({ items: toRoute, model, budget: options.budget, seed: options.seed });

  const out = createWriteStream(options.outPath, { encoding: "utf8" });
  await once(out, "open").catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`cannot write ${options.outPath}: ${error.code ?? error.message}`);
  });
  for (const decision of result.decisions) {
    const line = options.explain
      ? {
          id: decision.id,
          route: decision.route,
          score: decision.score,
          doubtLevel: decision.doubtLevel,
          rank: decision.rank,
          topFeatures: decision.topFeatures,
          ...(decision.noVerdict ? { noVerdict: true } : {}),
        }
      : { id: decision.id, route: decision.route, score: decision.score, ...(decision.noVerdict ? { noVerdict: true } : {}) };
    if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");

  const reasons = new Map<string, number>();
  for (const decision of result.decisions) {
    if (decision.route !== "human") continue;
    const reason = decision.noVerdict ? "judge_no_verdict" : decision.topFeatures[0]?.feature;
    if (reason) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }

  return {
    input: { lines: calibration.length + toRoute.length, calibration: calibration.length, toRoute: toRoute.length },
    budget: {
      requested: options.budget,
      maxHuman: result.maxHuman,
      human: result.human,
      judge: result.judge,
      usedFraction: toRoute.length === 0 ? 0 : result.human / toRoute.length,
    },
    seed: options.seed,
    model: describeModel(model),
    judgeHumanAgreement: judgeHumanAgreement(calibration),
    topFeatures: topModelFeatures(model, 5),
    humanRoutedBecause: [...reasons.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([feature, items]) => ({ feature, items })),
    out: options.outPath,
  };
}
