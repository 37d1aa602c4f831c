import { wilsonInterval } from "@arbiter/reward-model";
import type { Actor } from "../access/actor.ts";
import { assertQualityAccess } from "../quality/assert-quality-access.ts";
import { findHintInfluenceJudgments } from "../store/reward-models.ts";

/** A rate with its Wilson 95 % interval and the count it rests on (null rate when n = 0). */
export interface Rate {
  rate: number | null;
  ci: [number, number] | null;
  n: number;
}

export interface HintArmFigures {
  judgments: number;
  /** Share of this arm's judgments whose final verdict is the hint's top choice (the model's or the judge's, as the page reported it); null where the page never scored (the control arm). */
  agreesWithModel: Rate;
  /** Share of pairs of judgments on one item (one from this arm, one from any other annotator) that give the same verdict. */
  agreesWithOthers: Rate;
  /** Share of judgments whose annotator changed their verdict after seeing the model's view (hint arm only). */
  changedMind: Rate;
  /** Verdict mix: shares of picks, ties and both-bad. */
  labels: { winner: number; tie: number; both_bad: number };
  /** Which hint source the arm's judgments were made under (`hintSource`): the reward model's view or the judge's verdict; "unrecorded" before sources were recorded. */
  sources: { "reward-model": number; judge: number; unrecorded: number };
}

export interface HintInfluence {
  campaignId: string;
  hint: HintArmFigures;
  control: HintArmFigures;
  /** Judgments made without a model view to show (gate shut, no version) or before arms were recorded. */
  other: number;
  note: string;
}

function rate(successes: number, n: number): Rate {
  return n === 0 ? { rate: null, ci: null, n } : { rate: successes / n, ci: wilsonInterval(successes, n), n };
}

type Row = Awaited<ReturnType<typeof findHintInfluenceJudgments>>[number];

const sameVerdict = (a: Row, b: Row) => a.verdict === b.verdict && (a.verdict !== "winner" || a.winnerId === b.winnerId);

function armFigures(rows: Row[], byItem: Map<string, Row[]>, arm: "hint" | "control"): HintArmFigures {
  let agreeOthers = 0;
  let pairs = 0;
  for (const row of rows) {
    for (const other of byItem.get(row.itemId) ?? []) {
      if (other === row || other.userId === row.userId) continue;
      pairs++;
      if (sameVerdict(row, other)) agreeOthers++;
    }
  }
  const scored = rows.filter((r) => r.agreed === "true" || r.agreed === "false");
  const shown = rows.filter((r) => r.shown === true);
  const labels = { winner: 0, tie: 0, both_bad: 0 };
  for (const row of rows) if (row.verdict in labels) labels[row.verdict as keyof typeof labels] += 1;
  const n = rows.length || 1;
  const sources = { "reward-model": 0, judge: 0, unrecorded: 0 };
  for (const row of rows) sources[row.hintSource === "judge" ? "judge" : row.hintSource === "reward-model" ? "reward-model" : "unrecorded"] += 1;
  return {
    judgments: rows.length,
    agreesWithModel: arm === "hint" ? rate(scored.filter((r) => r.agreed === "true").length, scored.length) : { rate: null, ci: null, n: 0 },
    agreesWithOthers: rate(agreeOthers, pairs),
    changedMind: arm === "hint" ? rate(shown.filter((r) => r.changedMind === true).length, shown.length) : { rate: null, ci: null, n: 0 },
    labels: { winner: labels.winner / n, tie: labels.tie / n, both_bad: labels.both_bad / n },
    sources,
  };
}

/**
 * What hints do to labels: the hint arm against the no-hint (control) arm of a campaign's
 * pairwise judgments — agreement with the model, with other annotators, changed-mind rate and the
 * verdict mix, with Wilson 95 % intervals. Admins and researchers.
 */
export async function getHintInfluence(options: { actor: Actor | null; campaignId: string }): Promise<HintInfluence> {
  const { campaign } = await assertQualityAccess(options);
  const rows = await findHintInfluenceJudgments(campaign.id);
  const byItem = new Map<string, Row[]>();
  for (const row of rows) {
    const list = byItem.get(row.itemId);
    if (list) list.push(row);
    else byItem.set(row.itemId, [row]);
  }
  const hint = rows.filter((r) => r.condition === "hint");
  const control = rows.filter((r) => r.condition === "control");
  return {
    campaignId: campaign.id,
    hint: armFigures(hint, byItem, "hint"),
    control: armFigures(control, byItem, "control"),
    other: rows.length - hint.length - control.length,
    note: "Agreement with the hint (the model's view or the judge's verdict, per source) is measured only where the page showed it (the hint arm); the control arm is compared on agreement with other annotators and on its verdict mix.",
  };
}
