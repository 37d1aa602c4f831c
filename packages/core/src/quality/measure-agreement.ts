import { cohenKappa, fleissKappa, krippendorffAlpha } from "@arbiter/ranking";
import { alphaClusters, collectHumanUnits, humanAlpha } from "./human-alpha.ts";
import { judgmentUnits, type JudgmentUnit } from "./judgment-units.ts";
import type { QualityItem, QualityJudgment } from "./quality-data.ts";

export interface PairwiseKappa {
  /** Annotator keys as given by `annotatorKey`. */
  annotatorA: string;
  annotatorB: string;
  kappa: number | null;
  sharedUnits: number;
}

export interface Agreement {
  /** `items` for pairwise / pick-the-best verdicts, `item_pairs` when rankings were expanded into pairs. */
  unitKind: "items" | "item_pairs";
  /** Units with at least two human verdicts: the ones agreement is measured on. */
  pairableUnits: number;
  /**
   * Nominal α over human verdicts. Categories: the chosen response's place in the item as imported
   * (`first`, `second`, …; for a ranked pair, the earlier / later response of the pair), `tie`,
   * `both_bad` — the same on every item (`humanAlpha`, shared with the dataset card).
   */
  krippendorffAlpha: number | null;
  /** 95 % percentile bootstrap over items (a ranked item's pairs are resampled together). */
  krippendorffAlphaCi: [number, number] | null;
  /** Cohen's κ for every two annotators who share at least two units; `mean` is Light's κ (their average). */
  cohenKappaPairwise: { mean: number | null; pairs: PairwiseKappa[] };
  /** Fleiss' κ over the units with exactly `fleissRaters` (the campaign's overlap) human verdicts. */
  fleissKappa: number | null;
  fleissRaters: number;
  fleissUnits: number;
  /** Cohen's κ between the human majority verdict of a unit (draws left out) and the judge's latest verdict. */
  humanVsJudgeCohenKappa: number | null;
  humanVsJudgeUnits: number;
  /** Ordinal α of signed preference strength (pairwise with a strength scale): +s / −s for the item's first / second response, 0 for a tie. */
  strengthKrippendorffAlpha: number | null;
  /** Ordinal α of each attribute rating, units = (item, response). */
  attributeKrippendorffAlpha: Record<string, number | null>;
}

export interface MeasureAgreementOptions {
  items: ReadonlyMap<string, QualityItem>;
  /** Human judgments (and judge ones for the human-vs-judge κ); other sources are ignored. */
  judgments: readonly QualityJudgment[];
  overlap: number;
  attributeNames: readonly string[];
  /** How annotators are named in `cohenKappaPairwise.pairs` (e.g. pseudonyms). */
  annotatorKey?: (userId: string) => string;
  bootstrapRounds?: number;
  seed?: number;
}

/** Agreement coefficients of a campaign's human judgments (ALGORITHMS.md §6). */
export function measureAgreement(options: MeasureAgreementOptions): Agreement {
  const { items, overlap, annotatorKey = (id) => id } = options;
  const human = options.judgments.filter((j) => j.source === "human" && j.userId !== null);
  const judge = options.judgments.filter((j) => j.source === "judge");

  const humanUnits = collectHumanUnits(human, items);
  const unitKind = human.some((j) => j.verdict === "ranking") ? "item_pairs" : "items";
  const {
    alpha,
    ci,
    units: pairableUnits,
  } = humanAlpha(alphaClusters(humanUnits), {
    seed: options.seed ?? 1,
    ...(options.bootstrapRounds !== undefined ? { bootstrapRounds: options.bootstrapRounds } : {}),
  });

  return {
    unitKind,
    pairableUnits,
    krippendorffAlpha: alpha,
    krippendorffAlphaCi: ci,
    cohenKappaPairwise: pairwiseKappas(humanUnits, annotatorKey),
    ...fleiss(humanUnits, overlap),
    ...humanVsJudge(humanUnits, judge, items),
    strengthKrippendorffAlpha: strengthAlpha(human, items),
    attributeKrippendorffAlpha: Object.fromEntries(options.attributeNames.map((name) => [name, attributeAlpha(human, name)])),
  };
}

function pairwiseKappas(units: Map<string, Map<string, JudgmentUnit>>, annotatorKey: (userId: string) => string): Agreement["cohenKappaPairwise"] {
  const shared = new Map<string, { a: string; b: string; labelsA: string[]; labelsB: string[] }>();
  for (const raters of units.values()) {
    const entries = [...raters.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    for (let i = 0; i < entries.length; i++) {
      for (let j = i + 1; j < entries.length; j++) {
        const [a, unitA] = entries[i]!;
        const [b, unitB] = entries[j]!;
        const key = `${a}\u0000${b}`;
        let pair = shared.get(key);
        if (!pair) shared.set(key, (pair = { a, b, labelsA: [], labelsB: [] }));
        pair.labelsA.push(unitA.positional);
        pair.labelsB.push(unitB.positional);
      }
    }
  }
  const pairs: PairwiseKappa[] = [];
  for (const pair of shared.values()) {
    if (pair.labelsA.length < 2) continue;
    pairs.push({
      annotatorA: annotatorKey(pair.a),
      annotatorB: annotatorKey(pair.b),
      kappa: cohenKappa({ ratingsA: pair.labelsA, ratingsB: pair.labelsB }),
      sharedUnits: pair.labelsA.length,
    });
  }
  const defined = pairs.map((p) => p.kappa).filter((k): k is number => k !== null);
  return { mean: defined.length > 0 ? defined.reduce((s, k) => s + k, 0) / defined.length : null, pairs };
}

function fleiss(units: Map<string, Map<string, JudgmentUnit>>, overlap: number): Pick<Agreement, "fleissKappa" | "fleissRaters" | "fleissUnits"> {
  if (overlap < 2) return { fleissKappa: null, fleissRaters: overlap, fleissUnits: 0 };
  const ratings = [...units.values()].filter((raters) => raters.size === overlap).map((raters) => [...raters.values()].map((u) => u.positional));
  return { fleissKappa: ratings.length > 0 ? fleissKappa({ ratings }) : null, fleissRaters: overlap, fleissUnits: ratings.length };
}

function humanVsJudge(
  units: Map<string, Map<string, JudgmentUnit>>,
  judge: readonly QualityJudgment[],
  items: ReadonlyMap<string, QualityItem>,
): Pick<Agreement, "humanVsJudgeCohenKappa" | "humanVsJudgeUnits"> {
  // The judge's latest verdict per unit (judgments arrive oldest first).
  const judgeLabel = new Map<string, string>();
  for (const judgment of judge) {
    const item = items.get(judgment.itemId);
    if (!item) continue;
    for (const unit of judgmentUnits(judgment, item)) judgeLabel.set(unit.unit, unit.positional);
  }
  const humanLabels: string[] = [];
  const judgeLabels: string[] = [];
  for (const [unit, label] of judgeLabel) {
    const raters = units.get(unit);
    if (!raters) continue;
    const majority = strictMajority([...raters.values()].map((u) => u.positional));
    if (majority === null) continue;
    humanLabels.push(majority);
    judgeLabels.push(label);
  }
  return {
    humanVsJudgeCohenKappa: humanLabels.length > 0 ? cohenKappa({ ratingsA: humanLabels, ratingsB: judgeLabels }) : null,
    humanVsJudgeUnits: humanLabels.length,
  };
}

/** The most frequent label, or null when two labels share the top count. */
export function strictMajority(labels: readonly string[]): string | null {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  let best: string | null = null;
  let top = 0;
  let tied = false;
  for (const [label, count] of counts) {
    if (count > top) [best, top, tied] = [label, count, false];
    else if (count === top) tied = true;
  }
  return tied ? null : best;
}

function strengthAlpha(human: readonly QualityJudgment[], items: ReadonlyMap<string, QualityItem>): number | null {
  if (!human.some((j) => j.strength !== null)) return null;
  const byItem = new Map<string, number[]>();
  for (const judgment of human) {
    const item = items.get(judgment.itemId);
    if (!item || item.responses.length !== 2) continue;
    let value: number | null = null;
    if (judgment.verdict === "tie") value = 0;
    else if (judgment.verdict === "winner" && judgment.strength !== null) {
      const winner = item.responses.find((r) => r.id === judgment.winnerId);
      if (winner) value = winner.position === Math.min(...item.responses.map((r) => r.position)) ? judgment.strength : -judgment.strength;
    }
    if (value === null) continue;
    const values = byItem.get(item.id);
    if (values) values.push(value);
    else byItem.set(item.id, [value]);
  }
  return krippendorffAlpha({ data: [...byItem.values()], level: "ordinal" });
}

function attributeAlpha(human: readonly QualityJudgment[], name: string): number | null {
  const byUnit = new Map<string, number[]>();
  for (const judgment of human) {
    for (const [responseId, ratings] of Object.entries(judgment.attributes ?? {})) {
      const value = ratings?.[name];
      if (typeof value !== "number") continue;
      const key = `${judgment.itemId}|${responseId}`;
      const values = byUnit.get(key);
      if (values) values.push(value);
      else byUnit.set(key, [value]);
    }
  }
  return krippendorffAlpha({ data: [...byUnit.values()], level: "ordinal" });
}
